// Packages: several related unconfirmed transactions submitted together
// (Bitcoin Core's policy/packages.h). What makes a package well formed,
// the shapes package relay accepts, and the package's identity. Pure
// functions over the transactions; nothing here looks at the mempool.
#ifndef CAIRN_POLICY_PACKAGES_H
#define CAIRN_POLICY_PACKAGES_H

#include "consensus/consensus.h"
#include "consensus/validation_state.h"
#include "policy/policy.h"
#include "primitives/transaction.h"
#include "util/uint256.h"

#include <cstdint>
#include <vector>

namespace cairn {

/** Most transactions a package may hold. */
inline constexpr uint32_t MAX_PACKAGE_COUNT{25};
/** Largest total weight of a package (a little over one standard transaction). */
inline constexpr uint32_t MAX_PACKAGE_WEIGHT{404000};
static_assert(MAX_PACKAGE_WEIGHT >= MAX_STANDARD_TX_WEIGHT);
// A package within the count and weight limits must be able to pass the
// default ancestor and descendant limits, or package relay could never work.
static_assert(MAX_PACKAGE_WEIGHT >= DEFAULT_ANCESTOR_SIZE_LIMIT_KVB * WITNESS_SCALE_FACTOR * 1000);
static_assert(MAX_PACKAGE_WEIGHT >= DEFAULT_DESCENDANT_SIZE_LIMIT_KVB * WITNESS_SCALE_FACTOR * 1000);

/** Transactions in dependency order (parents before children) unless a
 *  check says otherwise. Every element must be non-null. */
using Package = std::vector<TransactionRef>;

/** Why a package failed as a whole (the per-transaction results are separate). */
enum class PackageResult {
    PCKG_RESULT_UNSET, //!< not rejected
    PCKG_POLICY,       //!< the package itself breaks a rule (too many transactions, ...)
    PCKG_TX,           //!< at least one transaction is invalid
    PCKG_MEMPOOL_ERROR, //!< an internal error of the mempool
    UNSET = PCKG_RESULT_UNSET, //!< the name ValidationState starts from
};

using PackageValidationState = ValidationState<PackageResult>;

/** Parents come before children: no transaction spends an output of itself
 *  or of a transaction placed after it. */
bool IsTopoSortedPackage(const Package& txns);

/** No two transactions spend the same outpoint, and none has zero inputs
 *  (such a transaction cannot be checked for conflicts, and two of them
 *  would be indistinguishable). Duplicate inputs inside one transaction are
 *  left to CheckTransaction, which reports them as a consensus failure. */
bool IsConsistentPackage(const Package& txns);

/** The context-free package rules, in Core's order; reasons:
 *  package-too-many-transactions (more than MAX_PACKAGE_COUNT),
 *  package-too-large (total weight over MAX_PACKAGE_WEIGHT, only checked
 *    with two or more transactions: a lone transaction fails on its own size),
 *  package-contains-duplicates (same txid twice),
 *  package-not-sorted (only with require_sorted),
 *  conflict-in-package. All with PCKG_POLICY. */
bool IsWellFormedPackage(const Package& txns, PackageValidationState& state, bool require_sorted = true);

/** At least two transactions, and every one but the last is a direct
 *  parent of the last (the child). Other in-package relations are allowed. */
bool IsChildWithParents(const Package& package);

/** IsChildWithParents, and no parent spends another parent: a tree of
 *  depth one. */
bool IsChildWithParentsTree(const Package& package);

/** The package's identity: single SHA-256 over the wtxids (32 bytes each, as
 *  stored) concatenated in ascending order of their displayed hex, so any
 *  ordering of the same transactions gives the same hash. */
uint256 GetPackageHash(const std::vector<TransactionRef>& transactions);

} // namespace cairn

#endif
