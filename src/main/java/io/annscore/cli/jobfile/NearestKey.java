package io.annscore.cli.jobfile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Suggests the known key a mistyped one was probably meant to be. */
final class NearestKey {
    private NearestKey() {
    }

    /**
     * The known key nearest to {@code unknown} by edit distance, when it is near enough to be a
     * typo (at most 2 edits, or a third of the key's length for long keys); otherwise the known keys
     * whose last segment is the unknown key's last segment (a key put in the wrong group, such as
     * {@code format} for {@code input.format}), joined with "or".
     */
    static Optional<String> suggest(String unknown, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(unknown, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= Math.max(2, unknown.length() / 3)) {
            return Optional.of(best);
        }
        String leaf = leaf(unknown);
        List<String> sameLeaf = new ArrayList<>();
        for (String k : known) {
            if (leaf(k).equals(leaf) || distance(leaf(k), leaf) <= 1 && leaf.length() > 3) {
                sameLeaf.add(k);
            }
        }
        return sameLeaf.isEmpty() ? Optional.empty() : Optional.of(String.join(" or ", sameLeaf));
    }

    private static String leaf(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions from a to b. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
