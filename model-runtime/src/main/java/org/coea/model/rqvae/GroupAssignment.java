package org.coea.model.rqvae;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.coea.common.model.GroupCsid;

/**
 * The user groups that {@link GroupAssigner} made from CSIDs: each group with its members, centroid
 * mu_g and representatives R_g (Eq. 7), each user's group, the merges that brought the distinct
 * CSIDs down to the target G, and the default CSID for cold-start users.
 */
public final class GroupAssignment {
    private final List<Group> groups;
    private final int[] groupOfUser;
    private final List<Merge> merges;
    private final int distinctCsids;
    private final int targetGroups;
    private final int defaultGroup;

    GroupAssignment(
            List<Group> groups,
            int[] groupOfUser,
            List<Merge> merges,
            int distinctCsids,
            int targetGroups,
            int defaultGroup) {
        this.groups = List.copyOf(groups);
        this.groupOfUser = groupOfUser.clone();
        this.merges = List.copyOf(merges);
        this.distinctCsids = distinctCsids;
        this.targetGroups = targetGroups;
        this.defaultGroup = defaultGroup;
    }

    /**
     * One group.
     *
     * @param csid the group's CSID (a CSID that survived the merge rule)
     * @param members users (indices into the assigner's input), ascending
     * @param centroid mu_g, the mean of the members' vectors
     * @param representatives R_g: the members nearest to mu_g, nearest first (ties by user index)
     * @param mergedCsids the CSIDs merged into this group, ascending (not including its own)
     */
    public record Group(
            GroupCsid csid,
            int[] members,
            float[] centroid,
            int[] representatives,
            List<GroupCsid> mergedCsids) {

        /** Keeps copies of the arrays. */
        public Group {
            Objects.requireNonNull(csid, "csid");
            members = members.clone();
            centroid = centroid.clone();
            representatives = representatives.clone();
            mergedCsids = List.copyOf(mergedCsids);
        }

        /** A copy of the members. */
        @Override
        public int[] members() {
            return members.clone();
        }

        /** A copy of the centroid. */
        @Override
        public float[] centroid() {
            return centroid.clone();
        }

        /** A copy of the representatives. */
        @Override
        public int[] representatives() {
            return representatives.clone();
        }

        /** The number of members. */
        public int size() {
            return members.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Group g
                    && csid.equals(g.csid)
                    && Arrays.equals(members, g.members)
                    && Arrays.equals(centroid, g.centroid)
                    && Arrays.equals(representatives, g.representatives)
                    && mergedCsids.equals(g.mergedCsids);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    csid,
                    Arrays.hashCode(members),
                    Arrays.hashCode(centroid),
                    Arrays.hashCode(representatives),
                    mergedCsids);
        }

        @Override
        public String toString() {
            return "Group["
                    + csid
                    + ", "
                    + members.length
                    + " members, "
                    + mergedCsids.size()
                    + " merged]";
        }
    }

    /**
     * One CSID merged into a surviving group.
     *
     * @param from the merged CSID
     * @param into the surviving CSID it joined
     * @param users the merged CSID's users
     * @param distance the Euclidean distance between the two CSIDs' own centroids
     */
    public record Merge(GroupCsid from, GroupCsid into, int users, double distance) {}

    /** The groups, by CSID ascending. */
    public List<Group> groups() {
        return groups;
    }

    /** The number of groups. */
    public int groupCount() {
        return groups.size();
    }

    /** The number of users. */
    public int users() {
        return groupOfUser.length;
    }

    /** The index into {@link #groups()} of a user's group. */
    public int groupOf(int user) {
        return groupOfUser[user];
    }

    /** A user's group CSID (after merging: possibly not the user's own codes). */
    public GroupCsid csidOf(int user) {
        return groups.get(groupOfUser[user]).csid();
    }

    /** The group of a CSID, if it is a surviving group's. */
    public java.util.Optional<Group> group(GroupCsid csid) {
        return groups.stream().filter(g -> g.csid().equals(csid)).findFirst();
    }

    /** The merges, in the order of the merged CSIDs (ascending). */
    public List<Merge> merges() {
        return merges;
    }

    /** The number of distinct CSIDs among the users, before merging. */
    public int distinctCsids() {
        return distinctCsids;
    }

    /** The target number of groups G. */
    public int targetGroups() {
        return targetGroups;
    }

    /** Whether there were fewer distinct CSIDs than G (all kept, none merged). */
    public boolean belowTarget() {
        return distinctCsids < targetGroups;
    }

    /** The CSID for cold-start users: that of the largest group (ties: the lower CSID). */
    public GroupCsid defaultCsid() {
        return groups.get(defaultGroup).csid();
    }

    /** One line for logs: groups, distinct CSIDs, target, default CSID. */
    public String summary() {
        return groups.size()
                + " groups from "
                + distinctCsids
                + " distinct CSIDs (target G="
                + targetGroups
                + (belowTarget() ? ", fewer CSIDs than G: all kept" : "")
                + "), default CSID "
                + defaultCsid();
    }

    @Override
    public String toString() {
        return "GroupAssignment[" + summary() + "]";
    }
}
