package cn.eport.messaging;

import java.io.IOException;
import java.util.Base64;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/** Ed25519 keys from their standard Base64 encodings, and signing and checking with them (Bouncy Castle). */
final class Ed25519Keys {

    private Ed25519Keys() {
    }

    static Ed25519PrivateKeyParameters privateKey(String base64) {
        try {
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(Base64.getDecoder().decode(base64));
            if (key instanceof Ed25519PrivateKeyParameters ed25519) {
                return ed25519;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("eport.signing.private-key is not a Base64 PKCS#8 Ed25519 key", e);
        }
        throw new IllegalArgumentException("eport.signing.private-key is not an Ed25519 key");
    }

    static Ed25519PublicKeyParameters publicKey(String name, String base64) {
        try {
            AsymmetricKeyParameter key = PublicKeyFactory.createKey(Base64.getDecoder().decode(base64));
            if (key instanceof Ed25519PublicKeyParameters ed25519) {
                return ed25519;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("eport.signing.public-keys." + name + " is not a Base64 X.509 Ed25519 key", e);
        }
        throw new IllegalArgumentException("eport.signing.public-keys." + name + " is not an Ed25519 key");
    }

    /** The X.509 SubjectPublicKeyInfo encoding of {@code key} (RFC 8410), as the public keys are configured. */
    static byte[] x509(Ed25519PublicKeyParameters key) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("an Ed25519 public key always encodes", e);
        }
    }

    static byte[] sign(Ed25519PrivateKeyParameters key, byte[] content) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(content, 0, content.length);
        return signer.generateSignature();
    }

    static boolean verifies(Ed25519PublicKeyParameters key, byte[] content, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(content, 0, content.length);
        return verifier.verifySignature(signature);
    }
}
