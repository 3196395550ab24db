package org.coea.model.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The valid answers as token sequences (for example every category name followed by eos), as a
 * prefix tree: it tells which tokens may come next and which answer a finished sequence is.
 */
public final class TokenTrie {
    private final Node root = new Node();
    private final List<int[]> sequences = new ArrayList<>();

    private static final class Node {
        final Map<Integer, Node> children = new HashMap<>();
        int answer = -1;
    }

    /**
     * A trie of answers; answer i is {@code sequences.get(i)}.
     *
     * @throws IllegalArgumentException when an answer is empty, repeated or a prefix of another
     */
    public TokenTrie(List<int[]> sequences) {
        for (int i = 0; i < sequences.size(); i++) {
            int[] s = sequences.get(i);
            if (s.length == 0) {
                throw new IllegalArgumentException("answer " + i + " has no token");
            }
            Node n = root;
            for (int t : s) {
                if (n.answer >= 0) {
                    throw new IllegalArgumentException(
                            "answer " + n.answer + " is a prefix of answer " + i);
                }
                n = n.children.computeIfAbsent(t, k -> new Node());
            }
            if (n.answer >= 0 || !n.children.isEmpty()) {
                throw new IllegalArgumentException(
                        "answer " + i + " repeats or prefixes another answer");
            }
            n.answer = i;
            this.sequences.add(s.clone());
        }
    }

    /** Number of answers. */
    public int size() {
        return sequences.size();
    }

    /** The tokens of answer i. */
    public int[] sequence(int answer) {
        return sequences.get(answer).clone();
    }

    /**
     * The tokens allowed after a prefix, leaving out continuations that lead only to excluded
     * answers; empty when the prefix is complete or invalid.
     */
    public Set<Integer> next(List<Integer> prefix, Set<Integer> excludedAnswers) {
        Node n = walk(prefix);
        if (n == null) {
            return Collections.emptySet();
        }
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        for (Map.Entry<Integer, Node> e : n.children.entrySet()) {
            if (reachesAllowed(e.getValue(), excludedAnswers)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** The answer a complete prefix spells, or -1. */
    public int answer(List<Integer> prefix) {
        Node n = walk(prefix);
        return n == null ? -1 : n.answer;
    }

    private Node walk(List<Integer> prefix) {
        Node n = root;
        for (int t : prefix) {
            n = n.children.get(t);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    private static boolean reachesAllowed(Node n, Set<Integer> excluded) {
        if (n.answer >= 0) {
            return !excluded.contains(n.answer);
        }
        for (Node c : n.children.values()) {
            if (reachesAllowed(c, excluded)) {
                return true;
            }
        }
        return false;
    }
}
