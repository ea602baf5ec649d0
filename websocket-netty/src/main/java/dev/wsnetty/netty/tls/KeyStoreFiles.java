package dev.wsnetty.netty.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Loads a key entry from a PKCS#12 or JKS keystore file, with errors that name the file and the problem. */
final class KeyStoreFiles {
    private KeyStoreFiles() {
    }

    static CertifiedKey load(Path file, char[] password, String alias) throws TlsMaterialException {
        if (!Files.exists(file)) {
            throw new TlsMaterialException(file, file + ": file not found", null);
        }
        if (!Files.isReadable(file)) {
            throw new TlsMaterialException(file, file + ": permission denied", null);
        }
        char[] pass = password == null ? new char[0] : password;
        KeyStore store = open(file, pass);
        String entry = alias != null ? alias : onlyKeyAlias(file, store);
        try {
            if (!store.containsAlias(entry)) {
                throw new TlsMaterialException(file, file + ": no entry \"" + entry + "\" (entries: "
                        + Collections.list(store.aliases()) + ")", null);
            }
            if (!store.isKeyEntry(entry)) {
                throw new TlsMaterialException(file, file + ": entry \"" + entry + "\" holds no private key", null);
            }
            Key key = store.getKey(entry, pass);
            if (!(key instanceof PrivateKey)) {
                throw new TlsMaterialException(file, file + ": entry \"" + entry + "\" holds a secret key, not a "
                        + "private key", null);
            }
            List<X509Certificate> chain = new ArrayList<>();
            Certificate[] certificates = store.getCertificateChain(entry);
            if (certificates == null || certificates.length == 0) {
                throw new TlsMaterialException(file, file + ": entry \"" + entry + "\" has no certificate", null);
            }
            for (Certificate c : certificates) {
                chain.add((X509Certificate) c);
            }
            KeyPairCheck.check((PrivateKey) key, chain.get(0).getPublicKey(), file, file + " entry \"" + entry + "\"");
            return CertifiedKey.checked((PrivateKey) key, chain);
        } catch (UnrecoverableKeyException e) {
            throw new TlsMaterialException(file, file + ": wrong password for the key of entry \"" + entry + "\"", e);
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(file, file + ": cannot read entry \"" + entry + "\": " + e.getMessage(), e);
        }
    }

    private static KeyStore open(Path file, char[] password) throws TlsMaterialException {
        try {
            // Recognises PKCS#12 and JKS by their content.
            return KeyStore.getInstance(file.toFile(), password);
        } catch (KeyStoreException e) {
            throw new TlsMaterialException(file, file + ": not a PKCS#12 or JKS keystore", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new TlsMaterialException(file, file + ": wrong keystore password", e);
            }
            throw new TlsMaterialException(file, file + ": malformed keystore: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(file, file + ": cannot load the keystore: " + e.getMessage(), e);
        }
    }

    private static String onlyKeyAlias(Path file, KeyStore store) throws TlsMaterialException {
        List<String> keys = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
        } catch (KeyStoreException e) {
            throw new TlsMaterialException(file, file + ": cannot list the keystore: " + e.getMessage(), e);
        }
        if (keys.isEmpty()) {
            throw new TlsMaterialException(file, file + ": holds no private key entry", null);
        }
        if (keys.size() > 1) {
            throw new TlsMaterialException(file, file + ": holds several keys " + keys + "; name the alias to use", null);
        }
        return keys.get(0);
    }
}
