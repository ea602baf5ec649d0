# Autobahn|Testsuite sections 12 and 13 (permessage-deflate) for the suite the autobahntestsuite-maven-plugin jar
# ships (Autobahn|Testsuite 0.5.6 on Autobahn|Python 0.6.4), which has no case of either section although its
# protocol speaks permessage-deflate. Written for wsnetty from the behaviour the suite documents for these cases
# (the case table, the offers and accept rules, the grading); runs on Jython 2.7 inside WsTest's child JVM.
#
# Each case opens one connection with the case's permessage-deflate offers (the tester as client) or accept rule
# (the tester as server). Without compression agreed the case is UNIMPLEMENTED. Otherwise the tester sends COUNT
# messages one at a time, each the next LEN-unit slice of the case's data set (code points for text, bytes for
# binary; wrapping around), compressed and, after compression, fragmented into frames of FRAGMENT bytes (0: one
# frame), and waits for each echo: same type, same bytes, or the case FAILS at once. All echoed: OK. The tester
# then closes with 1000 and the close must be clean. A case not done within WAIT seconds FAILS.
#
# register(patterns) adds the selected ones of the 216 cases to the suite's case list, makes the fuzzing client and
# server apply a case's offers and accept rule to its connection, and has the suite mask with JavaXorMasker: call it
# before the fuzzing factory is made.

import re
import types

import pkg_resources

from java.math import BigInteger
from org.python.core.util import StringUtil

from autobahn import websocket
from autobahn.compress import PerMessageDeflateOffer, PerMessageDeflateOfferAccept, \
    PerMessageDeflateResponse, PerMessageDeflateResponseAccept
from autobahntestsuite import case as suite_cases
from autobahntestsuite import fuzzing
from autobahntestsuite.case import Case

COUNT = 1000

# (LEN, FRAGMENT, WAIT) of cases x.y.1 to x.y.18, the same for every data set and parameter set.
ROWS = [(16, 0, 60), (64, 0, 60), (256, 0, 120), (1024, 0, 240), (4096, 0, 480), (8192, 0, 480),
        (16384, 0, 480), (32768, 0, 480), (65536, 0, 480), (131072, 0, 480), (8192, 256, 480),
        (16384, 256, 480), (32768, 256, 480), (65536, 256, 480), (131072, 256, 480), (131072, 1024, 480),
        (131072, 4096, 480), (131072, 32768, 480)]

# Section 12: the data sets (file in the suite's testdata, sent as text or binary), default offer.
DATA_SETS = [("Large JSON data file (utf8-encoded)", "data1.json", False),
             ("Lena Picture, Bitmap 512x512 bw", "lena512.bmp", True),
             ("Human readable text, Goethe's Faust I (German)", "pg2229.txt", True),
             ("Large HTML file (utf8-encoded)", "data1.html", False),
             ("A larger PDF", "10.1.1.105.5439.pdf", True)]


def _offer(request_no_context_takeover=False, request_max_window_bits=0):
    # Every offer lets the server limit our window and ask for client_no_context_takeover.
    return PerMessageDeflateOffer(acceptNoContextTakeover=True, acceptMaxWindowBits=True,
                                  requestNoContextTakeover=request_no_context_takeover,
                                  requestMaxWindowBits=request_max_window_bits)


def _accept_any(offer):
    return PerMessageDeflateOfferAccept(offer)


def _accept_no_context(offer):
    if offer.acceptNoContextTakeover:
        return PerMessageDeflateOfferAccept(offer, requestNoContextTakeover=True)
    return None


def _accept_window(bits):
    def accept(offer):
        if offer.acceptMaxWindowBits:
            return PerMessageDeflateOfferAccept(offer, requestMaxWindowBits=bits)
        return None
    return accept


def _accept_no_context_and_window(bits):
    def accept(offer):
        if offer.acceptNoContextTakeover and offer.acceptMaxWindowBits:
            return PerMessageDeflateOfferAccept(offer, requestNoContextTakeover=True, requestMaxWindowBits=bits)
        return None
    return accept


def _first_of(*rules):
    def accept(offer):
        for rule in rules:
            accepted = rule(offer)
            if accepted is not None:
                return accepted
        return None
    return accept


# Section 13: (description, the tester-client's offers, the tester-server's rule for one offer), data1.json as text.
PARAMETER_SETS = [
    ("the default offer", [_offer()], _accept_any),
    ("server_no_context_takeover requested; the server asks client_no_context_takeover",
     [_offer(request_no_context_takeover=True)], _accept_no_context),
    ("server_max_window_bits=9 requested; the server asks client_max_window_bits=9",
     [_offer(request_max_window_bits=9)], _accept_window(9)),
    ("server_max_window_bits=15 requested; the server asks client_max_window_bits=15",
     [_offer(request_max_window_bits=15)], _accept_window(15)),
    ("server_no_context_takeover and server_max_window_bits=9 requested; the server asks both of the client",
     [_offer(True, 9)], _accept_no_context_and_window(9)),
    ("server_no_context_takeover and server_max_window_bits=15 requested; the server asks both of the client",
     [_offer(True, 15)], _accept_no_context_and_window(15)),
    ("three offers (13.5's, 13.2's, 13.1's); the server tries 13.5's rule, then 13.2's, then 13.1's",
     [_offer(True, 9), _offer(request_no_context_takeover=True), _offer()],
     _first_of(_accept_no_context_and_window(9), _accept_no_context, _accept_any)),
]

_data_cache = {}


def _data(filename, binary):
    """The data set: bytes for binary, code points (unicode) for text."""
    if filename not in _data_cache:
        raw = pkg_resources.resource_string("autobahntestsuite", "testdata/" + filename)
        _data_cache[filename] = raw if binary else raw.decode("utf-8")
    return _data_cache[filename]


class DeflateCase(Case):
    """One case of section 12 or 13; the generated subclasses set the class attributes below."""

    FILENAME = None
    BINARY = False
    LEN = 0
    FRAGMENT = 0
    WAIT = 0
    OFFERS = []
    ACCEPT_ONE = None

    def init(self):
        self.reportTime = True
        self.reportCompressionRatio = True
        self.expectedClose = {"closedByMe": True, "closeCode": [self.p.CLOSE_STATUS_CODE_NORMAL],
                              "requireClean": True}
        self.sent = 0
        self.cursor = 0
        self.message = None

    def client_offers(self):
        """The offers the tester sends as client."""
        return self.OFFERS

    def accept_offers(self, offers):
        """The tester-server's answer to a client's offers: the first the case's rule accepts."""
        for offer in offers:
            if isinstance(offer, PerMessageDeflateOffer):
                accepted = self.ACCEPT_ONE(offer)
                if accepted is not None:
                    return accepted
        return None

    def accept_response(self, response):
        """The tester-client takes any valid answer."""
        if isinstance(response, PerMessageDeflateResponse):
            return PerMessageDeflateResponseAccept(response)
        return None

    def onOpen(self):
        self.p.enableWirelog(False)
        if self.p._perMessageCompress is None:
            self.behavior = Case.UNIMPLEMENTED
            self.result = "permessage-deflate was not negotiated"
            self.p.sendClose(self.p.CLOSE_STATUS_CODE_NORMAL)
            return
        self.trafficStats = self.p.trafficStats
        self.p.utf8validateIncoming = False  # an echo equal to what was sent is valid UTF-8
        self.p.autoFragmentSize = self.FRAGMENT
        self.result = "Case did not finish within %d seconds." % self.WAIT
        self.p.closeAfter(self.WAIT)
        self.send_next()

    def send_next(self):
        data = _data(self.FILENAME, self.BINARY)
        end = self.cursor + self.LEN
        piece = data[self.cursor:end]
        while len(piece) < self.LEN:  # wrap around
            piece += data[:self.LEN - len(piece)]
        self.cursor = end % len(data)
        self.message = piece if self.BINARY else piece.encode("utf-8")
        self.sent += 1
        self.p.sendMessage(self.message, self.BINARY)

    def onConnectionLost(self, failedByMe):
        Case.onConnectionLost(self, failedByMe)
        # The report is written at the end of a run; this line lets a long run be followed (and tallied) as it goes.
        print "wsnetty case result: %s %s %s" % (self.__class__.__name__[len("Case"):].replace("_", "."),
                                                 self.behavior, self.behaviorClose)

    def onMessage(self, msg, binary):
        if self.behavior != Case.FAILED or self.message is None:
            return  # already decided; closing
        if binary != self.BINARY or msg != self.message:
            self.result = "Echo of message %d differs: %s of %d bytes, sent %s of %d bytes." % (
                self.sent, "binary" if binary else "text", len(msg), "binary" if self.BINARY else "text",
                len(self.message))
            self.message = None
            self.p.sendClose(self.p.CLOSE_STATUS_CODE_NORMAL)
        elif self.sent < COUNT:
            self.send_next()
        else:
            self.behavior = Case.OK
            self.result = "Received all %d echoes, each equal to what was sent." % COUNT
            self.message = None
            self.p.sendClose(self.p.CLOSE_STATUS_CODE_NORMAL)


def _case_class(section, group, row, description, filename, binary, offers, accept_one):
    length, fragment, wait = ROWS[row - 1]
    attrs = {
        "DESCRIPTION": "Compress %d messages of %d %s of %s, %s, auto-fragmented to %s; %s." % (
            COUNT, length, "bytes" if binary else "code points", filename, "binary" if binary else "text",
            "%d octets" % fragment if fragment else "nothing (one frame)", description),
        "EXPECTATION": "Each message is echoed back equal (type and bytes); clean close with 1000 by the tester.",
        "FILENAME": filename, "BINARY": binary, "LEN": length, "FRAGMENT": fragment, "WAIT": wait,
        "OFFERS": offers, "ACCEPT_ONE": staticmethod(accept_one),
    }
    # The suite's Case is a classic class, so the subclass is made as one.
    return types.ClassType("Case%d_%d_%d" % (section, group, row), (DeflateCase,), attrs)


def cases():
    """The 216 cases: 12.1.1 to 12.5.18, then 13.1.1 to 13.7.18."""
    made = []
    for group, (description, filename, binary) in enumerate(DATA_SETS, 1):
        for row in range(1, len(ROWS) + 1):
            made.append(_case_class(12, group, row, description + ", the default offer", filename, binary,
                                    [_offer()], _accept_any))
    for group, (description, offers, accept_one) in enumerate(PARAMETER_SETS, 1):
        for row in range(1, len(ROWS) + 1):
            made.append(_case_class(13, group, row, description, "data1.json", False, offers, accept_one))
    return made


class JavaXorMasker:
    """
    The suite's masking (RFC 6455, section 5.3) done by java.math.BigInteger instead of a Python loop per byte, which on
    Jython masks about 170 KB/s on a busy machine: too slow for sections 12 and 13, whose rows of 1,000 poorly
    compressible 128 KiB messages then outlast the case's 480 s. Same results, about 25 times faster.
    """

    def __init__(self, mask):
        self.mask = mask
        self.ptr = 0

    def pointer(self):
        return self.ptr

    def reset(self):
        self.ptr = 0

    def process(self, data):
        n = len(data)
        if n == 0:
            return data
        shift = self.ptr & 3
        key = ((self.mask[shift:] + self.mask[:shift]) * (n // 4 + 1))[:n]
        # A leading 01 byte keeps the data's leading zero bytes in the number; it is cut off below.
        masked = BigInteger(1, StringUtil.toBytes("\x01" + data)).xor(BigInteger(1, StringUtil.toBytes("\x00" + key)))
        out = BigInteger.toByteArray(masked)
        self.ptr += n
        return StringUtil.fromBytes(out[len(out) - n:]).encode("latin-1")


def _create_masker(mask, length=None):
    return JavaXorMasker(mask)


def _selected(case_id, patterns):
    # As the suite reads a spec's case patterns: with "*" a regular expression anchored at the start, else exact.
    for pattern in patterns:
        if "*" in pattern:
            if re.match(pattern.replace(".", "\\.").replace("*", ".*"), case_id):
                return True
        elif pattern == case_id:
            return True
    return False


def register(patterns):
    """
    Adds the cases whose ids match one of the patterns to the suite, and lets its fuzzing client and server
    negotiate per case.
    """
    for made in cases():
        if _selected(made.__name__[len("Case"):].replace("_", "."), patterns):
            suite_cases.Cases.append(made)
    websocket.createXorMasker = _create_masker
    suite_cases.CaseCategories["13"] = "WebSocket Compression (different parameters)"
    for group, (description, _, _) in enumerate(DATA_SETS, 1):
        suite_cases.CaseSubCategories["12.%d" % group] = description
    for group, (description, _, _) in enumerate(PARAMETER_SETS, 1):
        suite_cases.CaseSubCategories["13.%d" % group] = description

    # The client protocol copies its options from the factory when connected, before its handshake: set the case's.
    build_protocol = fuzzing.FuzzingClientFactory.buildProtocol

    def build_protocol_with_offers(factory, addr):
        protocol = build_protocol(factory, addr)
        if isinstance(protocol.runCase, DeflateCase):
            factory.perMessageCompressionOffers = protocol.runCase.client_offers()
            factory.perMessageCompressionAccept = protocol.runCase.accept_response
        else:
            factory.perMessageCompressionOffers = []
            factory.perMessageCompressionAccept = lambda _: None
        return protocol
    fuzzing.FuzzingClientFactory.buildProtocol = build_protocol_with_offers

    # The server protocol learns its case in onConnect, which runs before it answers the offers.
    on_connect = fuzzing.FuzzingServerProtocol.onConnect

    def on_connect_with_accept(protocol, request):
        selected = on_connect(protocol, request)
        if isinstance(protocol.runCase, DeflateCase):
            protocol.perMessageCompressionAccept = protocol.runCase.accept_offers
        return selected
    fuzzing.FuzzingServerProtocol.onConnect = on_connect_with_accept
