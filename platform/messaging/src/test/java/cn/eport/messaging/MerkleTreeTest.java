package cn.eport.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static List<String> contents(int n) {
        return IntStream.range(0, n).mapToObj(i -> "verdict " + i).toList();
    }

    @Test
    void everyLeafOfEveryTreeSizeLeadsToTheRoot() {
        for (int size = 1; size <= 70; size++) {
            List<String> contents = contents(size);
            MerkleTree tree = MerkleTree.of(contents);
            for (int i = 0; i < size; i++) {
                assertThat(MerkleTree.rootFrom(MerkleTree.leafHash(contents.get(i)), i, size, tree.path(i)))
                        .as("leaf %d of %d", i, size).hasValueSatisfying(root -> assertThat(root).isEqualTo(tree.root()));
            }
        }
    }

    @Test
    void aTreeOfOneIsItsLeafAndAPathIsAsLongAsTheTreeIsDeep() {
        assertThat(MerkleTree.of(List.of("only")).root()).isEqualTo(MerkleTree.leafHash("only"));
        assertThat(MerkleTree.of(contents(100)).path(0)).hasSize(7);
        assertThat(MerkleTree.of(contents(100)).path(99)).hasSize(4);
    }

    @Test
    void anotherContentIndexSizeOrPathLeadsElsewhereOrNowhere() {
        List<String> contents = contents(13);
        MerkleTree tree = MerkleTree.of(contents);
        byte[] leaf = MerkleTree.leafHash(contents.get(5));
        List<byte[]> path = tree.path(5);

        assertThat(MerkleTree.rootFrom(MerkleTree.leafHash("verdict 5 altered"), 5, 13, path)).get().isNotEqualTo(tree.root());
        assertThat(MerkleTree.rootFrom(leaf, 4, 13, path).map(r -> java.util.Arrays.equals(r, tree.root()))).isNotEqualTo(
                java.util.Optional.of(true));
        // The size is not bound by the path where the tree's shape above the leaf is the same (13 or 14 leaves here):
        // what the signed root proves is the content, and the size is only the reader's guide through the path.
        assertThat(MerkleTree.rootFrom(leaf, 5, 64, path)).isEmpty();
        List<byte[]> shorter = new ArrayList<>(path.subList(0, path.size() - 1));
        assertThat(MerkleTree.rootFrom(leaf, 5, 13, shorter)).isEmpty();
        List<byte[]> flipped = new ArrayList<>(path);
        byte[] sibling = flipped.get(0).clone();
        sibling[0] ^= 1;
        flipped.set(0, sibling);
        assertThat(MerkleTree.rootFrom(leaf, 5, 13, flipped)).get().isNotEqualTo(tree.root());
        assertThat(MerkleTree.rootFrom(leaf, 13, 13, path)).isEmpty();
        assertThat(MerkleTree.rootFrom(leaf, -1, 13, path)).isEmpty();
    }
}
