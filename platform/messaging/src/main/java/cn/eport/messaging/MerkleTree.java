package cn.eport.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0), section 2.1, over SHA-256: a leaf's hash
 * is {@code SHA-256(0x00 || data)}, a node's {@code SHA-256(0x01 || left || right)}, and a tree of n
 * leaves splits at the largest power of two below n. Verdicts signed together are its leaves; the
 * inclusion path of each lets a reader recompute the root from that verdict alone.
 */
final class MerkleTree {

    private final byte[][] leaves;
    /** Each subtree's hash, by its first and past-last leaf: every path of the tree reuses them. */
    private final Map<Long, byte[]> subtrees = new HashMap<>();

    private MerkleTree(byte[][] leaves) {
        this.leaves = leaves;
    }

    static MerkleTree of(List<String> contents) {
        if (contents.isEmpty()) {
            throw new IllegalArgumentException("a tree needs at least one leaf");
        }
        byte[][] leaves = new byte[contents.size()][];
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = leafHash(contents.get(i));
        }
        return new MerkleTree(leaves);
    }

    byte[] root() {
        return hash(0, leaves.length);
    }

    /** The inclusion path of leaf {@code index}: RFC 9162's PATH(m, D[n]), from the leaf's sibling up. */
    List<byte[]> path(int index) {
        List<byte[]> path = new ArrayList<>();
        path(index, 0, leaves.length, path);
        return path;
    }

    private void path(int index, int from, int to, List<byte[]> path) {
        int size = to - from;
        if (size == 1) {
            return;
        }
        int split = largestPowerOfTwoBelow(size);
        if (index < split) {
            path(index, from, from + split, path);
            path.add(hash(from + split, to));
        } else {
            path(index - split, from + split, to, path);
            path.add(hash(from, from + split));
        }
    }

    private byte[] hash(int from, int to) {
        if (to - from == 1) {
            return leaves[from];
        }
        long key = ((long) from << 32) | to;
        byte[] known = subtrees.get(key);
        if (known == null) {
            int split = largestPowerOfTwoBelow(to - from);
            known = nodeHash(hash(from, from + split), hash(from + split, to));
            subtrees.put(key, known);
        }
        return known;
    }

    /**
     * The root that leaf {@code index} of a tree of {@code size} leaves, with hash {@code leafHash},
     * leads to along {@code path} (RFC 9162 section 2.1.3.2); empty when the path cannot belong to such a leaf.
     */
    static Optional<byte[]> rootFrom(byte[] leafHash, int index, int size, List<byte[]> path) {
        if (index < 0 || index >= size) {
            return Optional.empty();
        }
        long fn = index;
        long sn = size - 1L;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0 || p.length != 32) {
                return Optional.empty();
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? Optional.of(r) : Optional.empty();
    }

    static byte[] leafHash(String content) {
        MessageDigest sha256 = sha256();
        sha256.update((byte) 0);
        sha256.update(content.getBytes(StandardCharsets.UTF_8));
        return sha256.digest();
    }

    private static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha256 = sha256();
        sha256.update((byte) 1);
        sha256.update(left);
        sha256.update(right);
        return sha256.digest();
    }

    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
