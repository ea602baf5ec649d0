"""The JSON-like text of the permessage-deflate interop scripts, the same as DeflateInterop.json in the tests."""


def json_like(size, seed):
    """size characters of records numbered from seed."""
    parts = []
    i = seed
    while sum(map(len, parts)) < size:
        parts.append('{"id":%d,"user":"user%d","status":"active","score":%d},' % (i, i % 17, i * 31 % 1000))
        i += 1
    return "".join(parts)[:size]
