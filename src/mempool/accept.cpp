// Mempool acceptance, following Bitcoin Core 30's MemPoolAccept step by step:
//
//   PreChecks            consensus and policy checks that need no scripts:
//                        standardness, finality, duplicates, conflicts, the
//                        spent coins, BIP 68, fees, ancestor limits, TRUC
//   ReplacementChecks    the RBF rules when the transaction conflicts with
//                        pool entries (single transactions)
//   PackageMempoolChecks package limits and package RBF (several transactions)
//   PolicyScriptChecks   scripts with the standard flags (signatures cached)
//   ConsensusScriptChecks scripts with the tip's consensus flags, so the
//                        caches hold what block validation will look up
//                        (signatures, and the whole transaction in the
//                        script execution cache)
//   Finalize             evict the replaced entries, add the new ones
//
// A sub-package state (totals, the entries to evict, what was replaced) is
// kept across the steps of one evaluation and cleared after it, as Core's
// SubPackageState; the coins a transaction spends are kept in its workspace.
#include "mempool/accept.h"

#include "consensus/script/script_error.h"
#include "consensus/script/sigops.h"
#include "consensus/tx_check.h"
#include "consensus/tx_verify.h"
#include "consensus/versionbits.h"
#include "mempool/coins_view.h"
#include "mempool/rbf.h"
#include "mempool/truc.h"
#include "mempool/tx_mempool.h"
#include "policy/ephemeral.h"
#include "policy/policy.h"
#include "util/log.h"
#include "util/time.h"
#include "validation/chainstate_manager.h"
#include "validation/script_check.h"
#include "validation/script_exec_cache.h"

#include <algorithm>
#include <fmt/format.h>
#include <mutex>
#include <numeric>
#include <utility>

namespace cairn {

namespace {

/** A tip older than this is not "current" for fee estimation. */
constexpr int64_t MAX_FEE_ESTIMATION_TIP_AGE_SECONDS{3 * 60 * 60};

// ---- results ----

MempoolAcceptResult Failure(const TxValidationState& state)
{
    MempoolAcceptResult r;
    r.type = MempoolAcceptResult::ResultType::INVALID;
    r.state = state;
    return r;
}

/** A fee-related failure: the feerate that was checked and what it covered. */
MempoolAcceptResult FeeFailure(const TxValidationState& state, FeeRate feerate, std::vector<uint256> wtxids)
{
    MempoolAcceptResult r = Failure(state);
    r.effective_feerate = feerate;
    r.effective_includes = std::move(wtxids);
    return r;
}

MempoolAcceptResult Success(std::list<TransactionRef> replaced, int64_t vsize, Amount fees, FeeRate feerate,
                            std::vector<uint256> wtxids)
{
    MempoolAcceptResult r;
    r.type = MempoolAcceptResult::ResultType::VALID;
    r.replaced_transactions = std::move(replaced);
    r.vsize = vsize;
    r.base_fees = fees;
    r.effective_feerate = feerate;
    r.effective_includes = std::move(wtxids);
    return r;
}

MempoolAcceptResult InMempool(int64_t vsize, Amount fees)
{
    MempoolAcceptResult r;
    r.type = MempoolAcceptResult::ResultType::MEMPOOL_ENTRY;
    r.vsize = vsize;
    r.base_fees = fees;
    return r;
}

MempoolAcceptResult DifferentWitness(const uint256& other_wtxid)
{
    MempoolAcceptResult r;
    r.type = MempoolAcceptResult::ResultType::DIFFERENT_WITNESS;
    r.other_wtxid = other_wtxid;
    return r;
}

MempoolAcceptResult MempoolFull()
{
    TxValidationState state;
    state.Invalid(TxResult::MEMPOOL_POLICY, "mempool full");
    return Failure(state);
}

// ---- chain context ----

/** Core's IsCurrentForFeeEstimation: out of IBD, a recent tip, and not
 *  behind the best header. */
bool IsCurrentForFeeEstimation(ChainstateManager& chainman, bool chain_is_current)
{
    if (!chain_is_current) return false;
    const BlockIndex* tip = chainman.ActiveChain().Tip();
    if (!tip || tip->GetBlockTime() < GetTime() - MAX_FEE_ESTIMATION_TIP_AGE_SECONDS) return false;
    const BlockIndex* best_header = chainman.Tree().BestHeader();
    if (best_header && tip->height < best_header->height - 1) return false;
    return true;
}

/** A witness program other than pay-to-anchor is spent (directly or
 *  through P2SH): a transaction without witnesses failing its scripts may
 *  just have had them stripped in transit. */
bool SpendsNonAnchorWitnessProg(const Transaction& tx, const std::vector<Coin>& coins)
{
    auto is_non_anchor_program = [](const Script& script) {
        int version;
        ByteSpan program;
        if (!script.IsWitnessProgram(version, program)) return false;
        const bool anchor = version == 1 && program.size() == 2 && program[0] == 0x4e && program[1] == 0x73;
        return !anchor;
    };
    for (size_t i = 0; i < tx.vin.size(); ++i) {
        const Script& spk = coins[i].out.script_pubkey;
        if (is_non_anchor_program(spk)) return true;
        if (spk.IsPayToScriptHash() && tx.vin[i].script_sig.IsPushOnly()) {
            // The redeem script is the last push.
            size_t pc = 0;
            Opcode op;
            ByteSpan data, last;
            bool any = false;
            while (tx.vin[i].script_sig.GetOp(pc, op, data)) {
                last = data;
                any = true;
            }
            if (any && is_non_anchor_program(Script(last))) return true;
        }
    }
    return false;
}

// ---- the acceptance steps ----

class MemPoolAccept
{
public:
    /** Core's ATMPArgs: what differs between a lone transaction, a package
     *  test and a package submission. Built only by the named constructors. */
    struct Args {
        int64_t accept_time;
        bool bypass_limits;
        std::vector<OutPoint>* coins_to_uncache;
        bool test_accept;
        /** Conflicts may be replaced (otherwise "bip125-replacement-disallowed"). */
        bool allow_replacement;
        /** A TRUC child may evict its parent's other child. Single transactions only. */
        bool allow_sibling_eviction;
        /** Part of a package: the pool is trimmed at the end, not per transaction. */
        bool package_submission;
        /** Fee floors are checked on the package's feerate. */
        bool package_feerates;
        std::optional<FeeRate> client_maxfeerate;
        /** The CPFP carve-out (and the RBF allowance) for chain limits. */
        bool allow_carveouts;

        static Args SingleAccept(int64_t time, bool bypass_limits, std::vector<OutPoint>& uncache, bool test_accept)
        {
            return Args{time, bypass_limits, &uncache, test_accept, true, true, false, false, std::nullopt, true};
        }
        static Args PackageTestAccept(int64_t time, std::vector<OutPoint>& uncache)
        {
            return Args{time, false, &uncache, true, false, false, false, false, std::nullopt, false};
        }
        static Args PackageChildWithParents(int64_t time, std::vector<OutPoint>& uncache,
                                            std::optional<FeeRate> client_maxfeerate)
        {
            return Args{time, false, &uncache, false, true, false, true, true, client_maxfeerate, false};
        }
        static Args SingleInPackageAccept(const Args& package_args)
        {
            return Args{package_args.accept_time, false, package_args.coins_to_uncache, package_args.test_accept,
                        true, true, true, false, package_args.client_maxfeerate, false};
        }
    };

    MemPoolAccept(ChainstateManager& chainman, TxMemPool& pool, bool chain_is_current)
        : m_chainman(chainman), m_pool(pool), m_opts(pool.Options()),
          m_viewmempool(chainman.Coins(), pool), m_chain_is_current(chain_is_current)
    {
    }

    MempoolAcceptResult AcceptSingleTransaction(const TransactionRef& tx, Args& args);
    PackageMempoolAcceptResult AcceptMultipleTransactions(const Package& txns, Args& args);
    PackageMempoolAcceptResult AcceptPackage(const Package& package, Args& args);
    /** Forgets the sub-package state and the temporary coins. */
    void ClearSubPackageState()
    {
        m_subpackage = SubPackageState{};
        m_viewmempool.Reset();
    }

private:
    /** Everything learnt about one transaction on its way through the steps. */
    struct Workspace {
        explicit Workspace(TransactionRef t) : tx(std::move(t)) {}
        TransactionRef tx;
        /** Txids of the pool entries it conflicts with (or evicts as a sibling). */
        std::set<uint256> conflicts;
        /** The same as entries. */
        MempoolEntrySet iters_conflicting;
        /** Its in-pool ancestors. */
        MempoolEntrySet ancestors;
        bool sibling_eviction{false};
        /** The coins it spends, in input order. */
        std::vector<Coin> coins;
        LockPoints lock_points;
        bool spends_coinbase{false};
        int64_t sigop_cost{0};
        uint64_t entry_sequence{0};
        int64_t vsize{0};
        Amount base_fees{0};
        /** base_fees plus the prioritisetransaction delta. */
        Amount modified_fees{0};
        FeeRate package_feerate{0};
        TxValidationState state;
        /** Sighash midstates, shared by the policy and consensus script checks. */
        PrecomputedTxData txdata;
        bool txdata_ready{false};

        std::vector<const Coin*> CoinPtrs() const
        {
            std::vector<const Coin*> ptrs;
            ptrs.reserve(coins.size());
            for (const Coin& c : coins) ptrs.push_back(&c);
            return ptrs;
        }
    };

    bool PreChecks(Args& args, Workspace& ws);
    bool ReplacementChecks(Workspace& ws);
    bool PackageMempoolChecks(const Package& txns, std::vector<Workspace>& workspaces, int64_t total_vsize,
                              PackageValidationState& package_state);
    bool PolicyScriptChecks(Workspace& ws);
    bool ConsensusScriptChecks(Workspace& ws);
    /** Runs every input's script with `flags`; on failure fills ws.state. */
    bool CheckInputScripts(Workspace& ws, ScriptFlags flags);
    /** Evicts the staged removals and adds the workspaces' transactions. */
    void FinalizeSubpackage(const Args& args, std::vector<Workspace*> workspaces);
    bool SubmitPackage(const Args& args, std::vector<Workspace>& workspaces, PackageValidationState& package_state,
                       std::map<uint256, MempoolAcceptResult>& results);
    PackageMempoolAcceptResult AcceptSubPackage(const Package& subpackage, Args& args);
    bool CheckFeeRate(int64_t package_size, Amount package_fee, TxValidationState& state) const;
    bool CheckEphemeral(const Package& package, TxValidationState& state, uint256& child_wtxid) const;
    bool ValidForEstimation(const Args& args, const Transaction& tx) const;

    ChainstateManager& m_chainman;
    TxMemPool& m_pool;
    const MempoolOptions& m_opts;
    CoinsViewMemPool m_viewmempool;
    const bool m_chain_is_current;

    /** Core's SubPackageState: reset between evaluations. */
    struct SubPackageState {
        Amount total_modified_fees{0};
        int64_t total_vsize{0};
        /** Some transaction conflicts with the pool: replacement rules apply. */
        bool rbf{false};
        /** Entries to evict (all conflicts with their descendants). */
        MempoolEntrySet to_remove;
        std::list<TransactionRef> replaced_transactions;
        Amount conflicting_fees{0};
        int64_t conflicting_size{0};
    };
    SubPackageState m_subpackage;
};

bool MemPoolAccept::CheckFeeRate(int64_t package_size, Amount package_fee, TxValidationState& state) const
{
    const Amount mempool_reject_fee = m_pool.GetMinFee().GetFee(package_size);
    if (mempool_reject_fee > 0 && package_fee < mempool_reject_fee) {
        return state.Invalid(TxResult::RECONSIDERABLE, "mempool min fee not met",
                             fmt::format("{} < {}", package_fee, mempool_reject_fee));
    }
    const Amount min_relay_fee = m_opts.min_relay_feerate.GetFee(package_size);
    if (package_fee < min_relay_fee) {
        return state.Invalid(TxResult::RECONSIDERABLE, "min relay fee not met",
                             fmt::format("{} < {}", package_fee, min_relay_fee));
    }
    return true;
}

bool MemPoolAccept::CheckEphemeral(const Package& package, TxValidationState& state, uint256& child_wtxid) const
{
    const FeeRate dust_rate = m_opts.dust_relay_feerate;
    const DustLookup lookup = [this, dust_rate](const uint256& txid) -> std::optional<std::vector<uint32_t>> {
        const TransactionRef parent = m_pool.GetTx(txid);
        if (!parent) return std::nullopt;
        return GetDust(*parent, dust_rate);
    };
    return CheckEphemeralSpends(package, dust_rate, lookup, state, child_wtxid);
}

bool MemPoolAccept::ValidForEstimation(const Args& args, const Transaction& tx) const
{
    // Core's CBlockPolicyEstimator::processTransaction conditions: entered
    // on its own merits (no reorg re-add, no package), while the chain is
    // current, with no unconfirmed parents.
    return !args.bypass_limits && !args.package_submission &&
           IsCurrentForFeeEstimation(m_chainman, m_chain_is_current) && m_pool.HasNoInputsOf(tx);
}

bool MemPoolAccept::PreChecks(Args& args, Workspace& ws)
{
    const Transaction& tx = *ws.tx;
    const uint256& txid = tx.GetTxid();
    TxValidationState& state = ws.state;
    // Only before Load(): there is no next block to check against.
    if (!m_chainman.ActiveChain().Tip()) return state.Error("no chain tip");
    const BlockIndex& tip = *m_chainman.ActiveChain().Tip();

    if (!CheckTransaction(tx, state)) return false;

    // A coinbase is valid only in a block.
    if (tx.IsCoinBase()) return state.Invalid(TxResult::CONSENSUS, "coinbase");

    std::string reason;
    if (m_opts.require_standard &&
        !IsStandardTx(tx, m_opts.max_datacarrier_bytes, m_opts.permit_bare_multisig, m_opts.dust_relay_feerate,
                      reason)) {
        return state.Invalid(TxResult::NOT_STANDARD, reason);
    }

    // 64-byte transactions could pass for merkle inner nodes (CVE-2017-12842).
    if (tx.GetStrippedSize() < MIN_STANDARD_TX_NONWITNESS_SIZE) {
        return state.Invalid(TxResult::NOT_STANDARD, "tx-size-small");
    }

    // Only what the next block could include.
    if (!CheckFinalTxAtTip(tip, tx)) return state.Invalid(TxResult::PREMATURE_SPEND, "non-final");

    if (m_pool.ExistsWtxid(tx.GetWtxid())) {
        return state.Invalid(TxResult::CONFLICT, "txn-already-in-mempool");
    }
    if (m_pool.Exists(txid)) {
        return state.Invalid(TxResult::CONFLICT, "txn-same-nonwitness-data-in-mempool");
    }

    // Conflicts with the pool: any may be replaced (full RBF) where allowed.
    for (const TxIn& in : tx.vin) {
        if (const MempoolEntry* spender = m_pool.GetSpender(in.prevout)) {
            if (!args.allow_replacement) {
                return state.Invalid(TxResult::MEMPOOL_POLICY, "bip125-replacement-disallowed");
            }
            ws.conflicts.insert(spender->Txid());
        }
    }

    // The spent coins, from the chain or the pool. Coins this lookup brings
    // into the chain's cache are dropped again if the transaction fails.
    CoinsCache& chain_coins = m_chainman.Coins();
    ws.coins.clear();
    ws.coins.reserve(tx.vin.size());
    for (const TxIn& in : tx.vin) {
        if (!chain_coins.HaveCoinInCache(in.prevout)) args.coins_to_uncache->push_back(in.prevout);
        std::optional<Coin> coin = m_viewmempool.GetCoin(in.prevout);
        if (!coin || coin->IsSpent()) {
            // Missing because the transaction itself is already confirmed?
            for (uint32_t n = 0; n < tx.vout.size(); ++n) {
                if (chain_coins.HaveCoinInCache(OutPoint(txid, n))) {
                    return state.Invalid(TxResult::CONFLICT, "txn-already-known");
                }
            }
            // Otherwise perhaps an orphan whose parents have not arrived yet.
            return state.Invalid(TxResult::MISSING_INPUTS, "bad-txns-inputs-missingorspent");
        }
        ws.coins.push_back(std::move(*coin));
    }

    // BIP 68, for the next block.
    std::optional<LockPoints> lp = CalculateLockPointsAtTip(tip, m_viewmempool, tx);
    if (!lp || !CheckSequenceLocksAtTip(tip, *lp)) {
        return state.Invalid(TxResult::PREMATURE_SPEND, "non-BIP68-final");
    }
    ws.lock_points = *lp;

    const std::vector<const Coin*> coin_ptrs = ws.CoinPtrs();
    // The pool holds transactions for the next block: spend height tip + 1.
    if (!CheckTxInputs(tx, state, coin_ptrs, tip.height + 1, ws.base_fees)) return false;

    if (m_opts.require_standard && !AreInputsStandard(tx, coin_ptrs)) {
        return state.Invalid(TxResult::INPUTS_NOT_STANDARD, "bad-txns-nonstandard-inputs");
    }
    if (tx.HasWitness() && m_opts.require_standard && !IsWitnessStandard(tx, coin_ptrs)) {
        return state.Invalid(TxResult::WITNESS_MUTATED, "bad-witness-nonstandard");
    }

    std::vector<TxOut> spent;
    spent.reserve(ws.coins.size());
    for (const Coin& c : ws.coins) spent.push_back(c.out);
    ws.sigop_cost = GetTransactionSigOpCost(tx, spent, STANDARD_SCRIPT_VERIFY_FLAGS);

    // Remembered so that a reorg can re-check coinbase maturity.
    ws.spends_coinbase = std::any_of(ws.coins.begin(), ws.coins.end(), [](const Coin& c) { return c.IsCoinBase(); });

    // Transactions of disconnected blocks get sequence 0: they sort before
    // any child already in the pool.
    ws.entry_sequence = args.bypass_limits ? 0 : m_pool.GetSequence();
    ws.vsize = GetVirtualTransactionSize(tx, ws.sigop_cost, m_opts.bytes_per_sigop);
    ws.modified_fees = ws.base_fees + m_pool.GetFeeDelta(txid);

    // A dust output is only allowed on a transaction that pays nothing.
    if (m_opts.require_standard &&
        !PreCheckEphemeralTx(tx, m_opts.dust_relay_feerate, ws.base_fees, ws.modified_fees, state)) {
        return false;
    }

    if (ws.sigop_cost > int64_t(MAX_STANDARD_TX_SIGOPS_COST)) {
        return state.Invalid(TxResult::NOT_STANDARD, "bad-txns-too-many-sigops", std::to_string(ws.sigop_cost));
    }

    // Below the minimum relay feerate only from disconnected blocks, or as
    // TRUC: a package could lift it in, but nothing keeps it lifted (the
    // child may be replaced), so this is MEMPOOL_POLICY, not reconsiderable.
    const Amount min_relay_fee = m_opts.min_relay_feerate.GetFee(ws.vsize);
    if (!args.bypass_limits && tx.version != TRUC_VERSION && ws.modified_fees < min_relay_fee) {
        return state.Invalid(TxResult::MEMPOOL_POLICY, "min relay fee not met",
                             fmt::format("{} < {}", ws.modified_fees, min_relay_fee));
    }
    // Package transactions are checked on the package feerate later.
    if (!args.bypass_limits && !args.package_feerates && !CheckFeeRate(ws.vsize, ws.modified_fees, state)) {
        return false;
    }

    for (const uint256& conflict : ws.conflicts) {
        if (const MempoolEntry* e = m_pool.Get(conflict)) ws.iters_conflicting.insert(e);
    }

    // Chain limits. A transaction replacing exactly one entry may count that
    // entry's descendants as gone (Core's RBF allowance); only for single
    // transactions, like the carve-out below.
    MempoolLimits limits = m_opts.limits;
    if (ws.conflicts.size() == 1 && args.allow_carveouts && ws.iters_conflicting.size() == 1) {
        const MempoolEntry& conflict = **ws.iters_conflicting.begin();
        limits.descendant_count += 1;
        limits.descendant_size_vbytes += conflict.GetSizeWithDescendants();
    }
    std::string limit_error;
    std::optional<MempoolEntrySet> ancestors = m_pool.CalculateAncestorsAndCheckLimits(tx, ws.vsize, limits, limit_error);
    if (!ancestors) {
        if (!args.allow_carveouts) return state.Invalid(TxResult::MEMPOOL_POLICY, "too-long-mempool-chain", limit_error);
        // CPFP carve-out: a small transaction with a single unconfirmed
        // ancestor may exceed the parent's descendant limit by one, so that
        // each party of a two-party contract can always bump it. Not TRUC,
        // whose topology rules allow no second child.
        if (ws.vsize > int64_t(EXTRA_DESCENDANT_TX_SIZE_LIMIT) || tx.version == TRUC_VERSION) {
            return state.Invalid(TxResult::MEMPOOL_POLICY, "too-long-mempool-chain", limit_error);
        }
        MempoolLimits carve_out;
        carve_out.ancestor_count = 2;
        carve_out.ancestor_size_vbytes = limits.ancestor_size_vbytes;
        carve_out.descendant_count = limits.descendant_count + 1;
        carve_out.descendant_size_vbytes = limits.descendant_size_vbytes + EXTRA_DESCENDANT_TX_SIZE_LIMIT;
        std::string ignored;
        ancestors = m_pool.CalculateAncestorsAndCheckLimits(tx, ws.vsize, carve_out, ignored);
        if (!ancestors) return state.Invalid(TxResult::MEMPOOL_POLICY, "too-long-mempool-chain", limit_error);
    }
    ws.ancestors = std::move(*ancestors);

    // TRUC, checked over all ancestors (direct parents would be enough).
    if (auto err = SingleTRUCChecks(ws.tx, ws.ancestors, ws.conflicts, ws.vsize)) {
        if (args.allow_sibling_eviction && err->second) {
            // The parent's other child may be evicted instead, under the
            // replacement rules (ReplacementChecks).
            const MempoolEntry* sibling = m_pool.Get(err->second->GetTxid());
            if (!sibling) return state.Invalid(TxResult::MEMPOOL_POLICY, "TRUC-violation", err->first);
            ws.conflicts.insert(sibling->Txid());
            ws.iters_conflicting.insert(sibling);
            ws.sibling_eviction = true;
        } else {
            return state.Invalid(TxResult::MEMPOOL_POLICY, "TRUC-violation", err->first);
        }
    }

    // Spending an output of a transaction it replaces would be inconsistent.
    if (auto err = EntriesAndTxidsDisjoint(ws.ancestors, ws.conflicts, txid)) {
        return state.Invalid(TxResult::CONSENSUS, "bad-txns-spends-conflicting-tx", *err);
    }

    m_subpackage.rbf |= !ws.conflicts.empty();
    return true;
}

bool MemPoolAccept::ReplacementChecks(Workspace& ws)
{
    const Transaction& tx = *ws.tx;
    const uint256& txid = tx.GetTxid();
    TxValidationState& state = ws.state;
    const std::string sibling_note = ws.sibling_eviction ? " (including sibling eviction)" : "";

    // Rule 6: a higher feerate than each direct conflict.
    if (auto err = PaysMoreThanConflicts(ws.iters_conflicting, FeeRate(ws.modified_fees, ws.vsize), txid)) {
        // A package could change this: reconsiderable.
        return state.Invalid(TxResult::RECONSIDERABLE, "insufficient fee" + sibling_note, *err);
    }
    // Rule 5: not too many evictions.
    MempoolEntrySet all_conflicts;
    if (auto err = GetEntriesForConflicts(tx, m_pool, ws.iters_conflicting, all_conflicts)) {
        return state.Invalid(TxResult::MEMPOOL_POLICY, "too many potential replacements" + sibling_note, *err);
    }
    // Rule 2: no new unconfirmed inputs.
    if (auto err = HasNoNewUnconfirmed(tx, m_pool, all_conflicts)) {
        return state.Invalid(TxResult::MEMPOOL_POLICY, "replacement-adds-unconfirmed" + sibling_note, *err);
    }
    // Rules 3 and 4: pays for what it evicts, and for its own relay.
    for (const MempoolEntry* e : all_conflicts) {
        m_subpackage.conflicting_fees += e->GetModifiedFee();
        m_subpackage.conflicting_size += e->GetTxSize();
    }
    if (auto err = PaysForRBF(m_subpackage.conflicting_fees, ws.modified_fees, ws.vsize,
                              m_opts.incremental_relay_feerate, txid)) {
        return state.Invalid(TxResult::RECONSIDERABLE, "insufficient fee" + sibling_note, *err);
    }
    m_subpackage.to_remove.insert(all_conflicts.begin(), all_conflicts.end());
    return true;
}

bool MemPoolAccept::PackageMempoolChecks(const Package& txns, std::vector<Workspace>& workspaces,
                                         int64_t total_vsize, PackageValidationState& package_state)
{
    std::string limit_error;
    if (!m_pool.CheckPackageLimits(txns, total_vsize, m_opts.limits, limit_error)) {
        return package_state.Invalid(PackageResult::PCKG_POLICY, "package-mempool-limits", limit_error);
    }
    // Everything else is package RBF.
    if (!m_subpackage.rbf) return true;

    if (workspaces.size() != 2 || !IsChildWithParents(txns)) {
        return package_state.Invalid(PackageResult::PCKG_POLICY, "package RBF failed: package must be 1-parent-1-child");
    }
    // With in-pool ancestors the result would be a cluster of more than two.
    for (const Workspace& ws : workspaces) {
        if (!ws.ancestors.empty()) {
            return package_state.Invalid(PackageResult::PCKG_POLICY,
                                         "package RBF failed: new transaction cannot have mempool ancestors");
        }
    }
    MempoolEntrySet direct_conflicts;
    for (const Workspace& ws : workspaces) direct_conflicts.insert(ws.iters_conflicting.begin(), ws.iters_conflicting.end());

    const Workspace& parent_ws = workspaces[0];
    const Workspace& child_ws = workspaces[1];
    MempoolEntrySet all_conflicts;
    if (auto err = GetEntriesForConflicts(*child_ws.tx, m_pool, direct_conflicts, all_conflicts)) {
        return package_state.Invalid(PackageResult::PCKG_POLICY, "package RBF failed: too many potential replacements",
                                     *err);
    }
    for (const MempoolEntry* e : all_conflicts) {
        m_subpackage.to_remove.insert(e);
        m_subpackage.conflicting_fees += e->GetModifiedFee();
        m_subpackage.conflicting_size += e->GetTxSize();
    }
    // Errors are attributed to the child.
    if (auto err = PaysForRBF(m_subpackage.conflicting_fees, m_subpackage.total_modified_fees,
                              m_subpackage.total_vsize, m_opts.incremental_relay_feerate, child_ws.tx->GetTxid())) {
        return package_state.Invalid(PackageResult::PCKG_POLICY, "package RBF failed: insufficient anti-DoS fees", *err);
    }
    // The two must form one chunk: the child may not merely pay the anti-DoS fees.
    const FeeRate parent_feerate(parent_ws.modified_fees, parent_ws.vsize);
    const FeeRate package_feerate(m_subpackage.total_modified_fees, m_subpackage.total_vsize);
    if (package_feerate <= parent_feerate) {
        return package_state.Invalid(PackageResult::PCKG_POLICY,
                                     "package RBF failed: package feerate is less than or equal to parent feerate",
                                     fmt::format("package feerate {} <= parent feerate is {}",
                                                 package_feerate.ToString(), parent_feerate.ToString()));
    }
    // Better to mine than what it replaces (in place of PaysMoreThanConflicts).
    if (auto err = ImprovesFeerateDiagram(m_subpackage.to_remove,
                                          FeeFrac{m_subpackage.total_modified_fees, m_subpackage.total_vsize})) {
        return package_state.Invalid(PackageResult::PCKG_POLICY, "package RBF failed: " + err->second, "");
    }
    LogDebug(LogCategory::TXPACKAGES, "package RBF checks passed: parent {} (wtxid={}), child {} (wtxid={})",
             txns.front()->GetTxid().GetHex(), txns.front()->GetWtxid().GetHex(), txns.back()->GetTxid().GetHex(),
             txns.back()->GetWtxid().GetHex());
    return true;
}

bool MemPoolAccept::CheckInputScripts(Workspace& ws, ScriptFlags flags)
{
    const Transaction& tx = *ws.tx;
    if (!ws.txdata_ready) {
        std::vector<TxOut> spent;
        spent.reserve(ws.coins.size());
        for (const Coin& c : ws.coins) spent.push_back(c.out);
        ws.txdata.Init(tx, std::move(spent));
        ws.txdata_ready = true;
    }
    for (unsigned int i = 0; i < tx.vin.size(); ++i) {
        ScriptCheck check;
        check.spent = ws.coins[i].out;
        check.tx = &tx;
        check.input = i;
        check.flags = flags;
        check.txdata = &ws.txdata;
        // Signatures verified here are remembered, so that the block
        // carrying this transaction does not verify them again.
        check.cache = &m_chainman.SigCache();
        check.store_in_cache = true;
        if (auto failure = check()) {
            // Since Core 30 every mempool script failure is reported alike:
            // whether consensus or policy, the sender is not punished.
            return ws.state.Invalid(TxResult::NOT_STANDARD,
                                    "mempool-script-verify-flag-failed (" + ScriptErrorString(failure->first) + ")",
                                    failure->second);
        }
    }
    return true;
}

bool MemPoolAccept::PolicyScriptChecks(Workspace& ws)
{
    // Last, because it is the expensive part.
    if (!CheckInputScripts(ws, STANDARD_SCRIPT_VERIFY_FLAGS)) {
        // Witnesses missing where a witness program is spent: the transaction
        // may be fine with them, so relay must not cache it as invalid.
        if (!ws.tx->HasWitness() && SpendsNonAnchorWitnessProg(*ws.tx, ws.coins)) {
            ws.state.Invalid(TxResult::WITNESS_STRIPPED, ws.state.GetRejectReason(), ws.state.GetDebugMessage());
        }
        return false;
    }
    return true;
}

bool MemPoolAccept::ConsensusScriptChecks(Workspace& ws)
{
    // Again with the tip's consensus flags, so that the signature cache
    // holds what block validation looks up, and as a guard against a bug in
    // the standard flags letting a consensus-invalid transaction through.
    const ScriptFlags flags = m_chainman.GetBlockScriptFlags(*m_chainman.ActiveChain().Tip());
    // Passing, the transaction enters the script execution cache, so that
    // ConnectBlock skips its scripts altogether (Core's cacheFullScriptStore).
    // An entry already there means these scripts passed with these flags.
    ScriptExecutionCache& exec_cache = m_chainman.ScriptExecCache();
    const uint256 entry = exec_cache.Entry(*ws.tx, flags);
    if (exec_cache.Get(entry, /*erase=*/false)) return true;
    if (!CheckInputScripts(ws, flags)) {
        LogError("BUG! PLEASE REPORT THIS! CheckInputScripts failed against latest-block but not STANDARD flags {}, {}",
                 ws.tx->GetTxid().GetHex(), ws.state.ToString());
        return false;
    }
    exec_cache.Add(entry);
    return true;
}

void MemPoolAccept::FinalizeSubpackage(const Args& args, std::vector<Workspace*> workspaces)
{
    const unsigned height = unsigned(m_chainman.ActiveChain().Height());
    if (!m_subpackage.to_remove.empty()) {
        for (const MempoolEntry* e : m_subpackage.to_remove) {
            LogDebug(LogCategory::MEMPOOL, "replacing mempool tx {} (wtxid={}, fees={}, vsize={}). New {} with fees={}, vsize={}",
                     e->Txid().GetHex(), e->Wtxid().GetHex(), e->GetFee(), e->GetTxSize(),
                     workspaces.size() == 1 ? "tx " + workspaces[0]->tx->GetTxid().GetHex() : std::string("package"),
                     m_subpackage.total_modified_fees, m_subpackage.total_vsize);
            m_subpackage.replaced_transactions.push_back(e->GetSharedTx());
        }
        m_pool.RemoveStaged(m_subpackage.to_remove, RemovalReason::REPLACED);
        m_subpackage.to_remove.clear();
    }
    for (Workspace* ws : workspaces) {
        MempoolEntry entry(ws->tx, ws->base_fees, args.accept_time, height, ws->entry_sequence, ws->spends_coinbase,
                           ws->sigop_cost, ws->lock_points, ws->vsize);
        const bool estimate = ValidForEstimation(args, *ws->tx);
        m_pool.AddUnchecked(entry, estimate);
    }
}

MempoolAcceptResult MemPoolAccept::AcceptSingleTransaction(const TransactionRef& ptx, Args& args)
{
    Workspace ws(ptx);
    const std::vector<uint256> single_wtxid{ptx->GetWtxid()};

    if (!PreChecks(args, ws)) {
        if (ws.state.GetResult() == TxResult::RECONSIDERABLE) {
            // A fee failure: say which feerate was checked, over which transactions.
            return FeeFailure(ws.state, FeeRate(ws.modified_fees, ws.vsize), single_wtxid);
        }
        return Failure(ws.state);
    }
    m_subpackage.total_vsize = ws.vsize;
    m_subpackage.total_modified_fees = ws.modified_fees;

    if (args.client_maxfeerate && FeeRate(ws.modified_fees, ws.vsize) > *args.client_maxfeerate) {
        ws.state.Invalid(TxResult::MEMPOOL_POLICY, "max feerate exceeded", "");
        return Failure(ws.state);
    }
    if (m_opts.require_standard) {
        uint256 ignored;
        if (!CheckEphemeral({ptx}, ws.state, ignored)) return Failure(ws.state);
    }
    if (m_subpackage.rbf && !ReplacementChecks(ws)) {
        if (ws.state.GetResult() == TxResult::RECONSIDERABLE) {
            return FeeFailure(ws.state, FeeRate(ws.modified_fees, ws.vsize), single_wtxid);
        }
        return Failure(ws.state);
    }
    if (!PolicyScriptChecks(ws)) return Failure(ws.state);
    if (!ConsensusScriptChecks(ws)) return Failure(ws.state);

    const FeeRate effective_feerate(ws.modified_fees, ws.vsize);
    if (args.test_accept) {
        return Success(std::move(m_subpackage.replaced_transactions), ws.vsize, ws.base_fees, effective_feerate,
                       single_wtxid);
    }

    FinalizeSubpackage(args, {&ws});

    if (!args.package_submission && !args.bypass_limits) {
        LimitMempoolSizeLocked(m_chainman, m_pool);
        if (!m_pool.Exists(ptx->GetTxid())) {
            // Trimmed right away: below the (new) pool minimum, but a package might get it in.
            ws.state.Invalid(TxResult::RECONSIDERABLE, "mempool full");
            return FeeFailure(ws.state, effective_feerate, single_wtxid);
        }
    }
    if (!m_subpackage.replaced_transactions.empty()) {
        LogDebug(LogCategory::MEMPOOL,
                 "replaced {} mempool transactions with 1 new transaction for {} additional fees, {} delta bytes",
                 m_subpackage.replaced_transactions.size(), ws.modified_fees - m_subpackage.conflicting_fees,
                 ws.vsize - m_subpackage.conflicting_size);
    }
    return Success(std::move(m_subpackage.replaced_transactions), ws.vsize, ws.base_fees, effective_feerate,
                   single_wtxid);
}

bool MemPoolAccept::SubmitPackage(const Args& args, std::vector<Workspace>& workspaces,
                                  PackageValidationState& package_state,
                                  std::map<uint256, MempoolAcceptResult>& results)
{
    // The consensus-flag checks first (Core runs them right after adding;
    // the coins are in the workspaces, so nothing needs to be in the pool).
    for (Workspace& ws : workspaces) {
        if (!ConsensusScriptChecks(ws)) {
            results.emplace(ws.tx->GetWtxid(), Failure(ws.state));
            package_state.Invalid(PackageResult::PCKG_MEMPOOL_ERROR,
                                  "BUG! PolicyScriptChecks succeeded but ConsensusScriptChecks failed: " +
                                      ws.tx->GetTxid().GetHex());
            return false;
        }
    }
    std::vector<Workspace*> ptrs;
    for (Workspace& ws : workspaces) ptrs.push_back(&ws);
    FinalizeSubpackage(args, ptrs);

    std::vector<uint256> all_wtxids;
    for (const Workspace& ws : workspaces) all_wtxids.push_back(ws.tx->GetWtxid());
    if (!m_subpackage.replaced_transactions.empty()) {
        LogDebug(LogCategory::MEMPOOL, "replaced {} mempool transactions with {} new one(s) for {} additional fees, {} delta bytes",
                 m_subpackage.replaced_transactions.size(), workspaces.size(),
                 m_subpackage.total_modified_fees - m_subpackage.conflicting_fees,
                 m_subpackage.total_vsize - m_subpackage.conflicting_size);
    }
    // The first result carries the replaced transactions (as in Core, where
    // the list is moved into it).
    for (Workspace& ws : workspaces) {
        const FeeRate feerate = args.package_feerates ? ws.package_feerate : FeeRate(ws.modified_fees, ws.vsize);
        std::vector<uint256> includes = args.package_feerates ? all_wtxids : std::vector<uint256>{ws.tx->GetWtxid()};
        results.emplace(ws.tx->GetWtxid(), Success(std::exchange(m_subpackage.replaced_transactions, {}), ws.vsize,
                                                   ws.base_fees, feerate, std::move(includes)));
    }
    return true;
}

PackageMempoolAcceptResult MemPoolAccept::AcceptMultipleTransactions(const Package& txns, Args& args)
{
    PackageMempoolAcceptResult out;
    if (!IsWellFormedPackage(txns, out.state, /*require_sorted=*/true)) return out;

    std::vector<Workspace> workspaces;
    workspaces.reserve(txns.size());
    for (const TransactionRef& tx : txns) workspaces.emplace_back(tx);

    // All PreChecks first: fail fast before any script work.
    for (Workspace& ws : workspaces) {
        if (!PreChecks(args, ws)) {
            out.state.Invalid(PackageResult::PCKG_TX, "transaction failed");
            out.results.emplace(ws.tx->GetWtxid(), Failure(ws.state));
            return out;
        }
        if (args.client_maxfeerate && FeeRate(ws.modified_fees, ws.vsize) > *args.client_maxfeerate) {
            ws.state.Invalid(TxResult::MEMPOOL_POLICY, "max feerate exceeded", "");
            out.state.Invalid(PackageResult::PCKG_TX, "transaction failed");
            out.results.emplace(ws.tx->GetWtxid(), Failure(ws.state));
            return out;
        }
        // Later transactions may spend this one's outputs. Package
        // transactions do not conflict with each other (well-formed), and a
        // package RBF is refused below if any has in-pool ancestors, so no
        // spent coins need tracking.
        m_viewmempool.PackageAddTransaction(ws.tx);
    }

    for (Workspace& ws : workspaces) {
        if (auto err = PackageTRUCChecks(ws.tx, ws.vsize, txns, ws.ancestors)) {
            out.state.Invalid(PackageResult::PCKG_POLICY, "TRUC-violation", *err);
            return out;
        }
    }

    // Fee floors on the package feerate: enough for a child with its
    // parents, whose topology the caller restricts.
    m_subpackage.total_vsize = std::accumulate(workspaces.begin(), workspaces.end(), int64_t{0},
                                               [](int64_t sum, const Workspace& ws) { return sum + ws.vsize; });
    m_subpackage.total_modified_fees = std::accumulate(
        workspaces.begin(), workspaces.end(), Amount{0}, [](Amount sum, const Workspace& ws) { return sum + ws.modified_fees; });
    const FeeRate package_feerate(m_subpackage.total_modified_fees, m_subpackage.total_vsize);
    std::vector<uint256> all_wtxids;
    for (const Workspace& ws : workspaces) all_wtxids.push_back(ws.tx->GetWtxid());

    TxValidationState fee_state;
    if (args.package_feerates &&
        !CheckFeeRate(m_subpackage.total_vsize, m_subpackage.total_modified_fees, fee_state)) {
        out.state.Invalid(PackageResult::PCKG_TX, "transaction failed");
        out.results.emplace(workspaces.back().tx->GetWtxid(), FeeFailure(fee_state, package_feerate, all_wtxids));
        return out;
    }

    if (txns.size() > 1 && !PackageMempoolChecks(txns, workspaces, m_subpackage.total_vsize, out.state)) return out;

    if (m_opts.require_standard) {
        TxValidationState child_state;
        uint256 child_wtxid;
        if (!CheckEphemeral(txns, child_state, child_wtxid)) {
            out.state.Invalid(PackageResult::PCKG_TX, "unspent-dust");
            out.results.emplace(child_wtxid, Failure(child_state));
            return out;
        }
    }

    for (Workspace& ws : workspaces) {
        ws.package_feerate = package_feerate;
        if (!PolicyScriptChecks(ws)) {
            out.state.Invalid(PackageResult::PCKG_TX, "transaction failed");
            out.results.emplace(ws.tx->GetWtxid(), Failure(ws.state));
            return out;
        }
        if (args.test_accept) {
            const FeeRate feerate = args.package_feerates ? ws.package_feerate : FeeRate(ws.modified_fees, ws.vsize);
            std::vector<uint256> includes = args.package_feerates ? all_wtxids : std::vector<uint256>{ws.tx->GetWtxid()};
            out.results.emplace(ws.tx->GetWtxid(), Success({}, ws.vsize, ws.base_fees, feerate, std::move(includes)));
        }
    }
    if (args.test_accept) return out;

    SubmitPackage(args, workspaces, out.state, out.results);
    return out;
}

PackageMempoolAcceptResult MemPoolAccept::AcceptSubPackage(const Package& subpackage, Args& args)
{
    PackageMempoolAcceptResult result;
    if (subpackage.size() > 1) {
        result = AcceptMultipleTransactions(subpackage, args);
    } else {
        const TransactionRef& tx = subpackage.front();
        Args single_args = Args::SingleInPackageAccept(args);
        MempoolAcceptResult single = AcceptSingleTransaction(tx, single_args);
        if (single.type != MempoolAcceptResult::ResultType::VALID) {
            result.state.Invalid(PackageResult::PCKG_TX, "transaction failed");
        }
        result.results.emplace(tx->GetWtxid(), std::move(single));
    }
    // No state may leak into the next evaluation.
    ClearSubPackageState();
    return result;
}

PackageMempoolAcceptResult MemPoolAccept::AcceptPackage(const Package& package, Args& args)
{
    PackageMempoolAcceptResult quit_early_result;
    PackageValidationState& quit_early_state = quit_early_result.state;

    // A single transaction, or a child with its parents (all or some of
    // them: since Core 30 others may already be in the pool or confirmed).
    if (!IsWellFormedPackage(package, quit_early_state, /*require_sorted=*/true)) return quit_early_result;
    if (package.size() > 1 && !IsChildWithParents(package)) {
        quit_early_state.Invalid(PackageResult::PCKG_POLICY, "package-not-child-with-parents");
        return quit_early_result;
    }

    // Results that stand, and individual failures that stand unless the
    // transaction later gets in with the package.
    std::map<uint256, MempoolAcceptResult> results_final;
    std::map<uint256, MempoolAcceptResult> individual_results_nonfinal;
    bool quit_early = false;
    Package txns_package_eval;
    for (const TransactionRef& tx : package) {
        const uint256& wtxid = tx->GetWtxid();
        const uint256& txid = tx->GetTxid();
        if (m_pool.ExistsWtxid(wtxid)) {
            // Already in: not re-evaluated, and its fees are not counted again.
            const MempoolEntry* e = m_pool.GetByWtxid(wtxid);
            results_final.emplace(wtxid, InMempool(e->GetTxSize(), e->GetFee()));
        } else if (m_pool.Exists(txid)) {
            // The same transaction with another witness is in: use that one.
            results_final.emplace(wtxid, DifferentWitness(m_pool.Get(txid)->Wtxid()));
        } else {
            // First on its own.
            PackageMempoolAcceptResult single_package = AcceptSubPackage({tx}, args);
            const MempoolAcceptResult& single = single_package.results.at(wtxid);
            if (single.type == MempoolAcceptResult::ResultType::VALID) {
                results_final.emplace(wtxid, single);
            } else if (package.size() == 1 || (single.state.GetResult() != TxResult::RECONSIDERABLE &&
                                               single.state.GetResult() != TxResult::MISSING_INPUTS)) {
                // Only the feerate (or a parent that failed on feerate) can
                // change in a package; anything else fails there too. Keep
                // going: other transactions may still get in on their own.
                quit_early = true;
                quit_early_state.Invalid(PackageResult::PCKG_TX, "transaction failed");
                individual_results_nonfinal.emplace(wtxid, single);
            } else {
                individual_results_nonfinal.emplace(wtxid, single);
                txns_package_eval.push_back(tx);
            }
        }
    }

    PackageMempoolAcceptResult multi = quit_early || txns_package_eval.empty()
                                           ? quit_early_result
                                           : AcceptSubPackage(txns_package_eval, args);
    PackageValidationState& state_final = multi.state;
    ClearSubPackageState();

    // Package transactions, new or not, may be trimmed right away.
    LimitMempoolSizeLocked(m_chainman, m_pool);

    TxValidationState full_state;
    full_state.Invalid(TxResult::MEMPOOL_POLICY, "mempool full");
    for (const TransactionRef& tx : package) {
        const uint256& wtxid = tx->GetWtxid();
        if (auto it = multi.results.find(wtxid); it != multi.results.end()) {
            if (it->second.type == MempoolAcceptResult::ResultType::VALID && !m_pool.ExistsWtxid(wtxid)) {
                state_final.Invalid(PackageResult::PCKG_TX, "transaction failed");
                results_final.emplace(wtxid, MempoolFull());
            } else {
                results_final.emplace(wtxid, it->second);
            }
        } else if (auto it2 = results_final.find(wtxid); it2 != results_final.end()) {
            // Already in (or accepted alone): still there? By txid, for the
            // same-txid-other-witness case.
            if (!m_pool.Exists(tx->GetTxid())) {
                state_final.Invalid(PackageResult::PCKG_TX, "transaction failed");
                it2->second = MempoolFull();
            }
        } else if (auto it3 = individual_results_nonfinal.find(wtxid); it3 != individual_results_nonfinal.end()) {
            results_final.emplace(wtxid, it3->second);
        }
    }
    multi.results = std::move(results_final);
    return multi;
}

/** Drops from the chain's coins cache the coins fetched only for a failed check. */
void UncacheCoins(ChainstateManager& chainman, const std::vector<OutPoint>& outpoints)
{
    for (const OutPoint& o : outpoints) chainman.Coins().Uncache(o);
}

} // namespace

void LimitMempoolSizeLocked(ChainstateManager& chainman, TxMemPool& pool)
{
    const int expired = pool.Expire(GetTime());
    if (expired != 0) LogDebug(LogCategory::MEMPOOL, "Expired {} transactions from the memory pool", expired);
    std::vector<OutPoint> no_spends_remaining;
    pool.TrimToSize(size_t(std::max<int64_t>(pool.Options().max_size_bytes, 0)), &no_spends_remaining);
    for (const OutPoint& o : no_spends_remaining) chainman.Coins().Uncache(o);
}

void LimitMempoolSize(ChainstateManager& chainman, TxMemPool& pool)
{
    std::lock_guard chain_lock(chainman.GetMutex());
    std::lock_guard pool_lock(pool.GetMutex());
    LimitMempoolSizeLocked(chainman, pool);
}

MempoolAcceptResult AcceptToMemoryPoolLocked(ChainstateManager& chainman, TxMemPool& pool, const TransactionRef& tx,
                                             int64_t accept_time, bool bypass_limits, bool test_accept,
                                             bool chain_is_current)
{
    if (!tx) {
        TxValidationState state;
        state.Invalid(TxResult::CONSENSUS, "bad-txns-null");
        return Failure(state);
    }
    std::vector<OutPoint> coins_to_uncache;
    MemPoolAccept::Args args = MemPoolAccept::Args::SingleAccept(accept_time, bypass_limits, coins_to_uncache, test_accept);
    MemPoolAccept accept(chainman, pool, chain_is_current);
    MempoolAcceptResult result = accept.AcceptSingleTransaction(tx, args);
    accept.ClearSubPackageState();
    if (result.type != MempoolAcceptResult::ResultType::VALID) {
        // Invalid transactions must not grow the coins cache (memory DoS).
        UncacheCoins(chainman, coins_to_uncache);
        LogDebug(LogCategory::MEMPOOLREJ, "{} (wtxid={}) was not accepted: {}", tx->GetTxid().GetHex(),
                 tx->GetWtxid().GetHex(), result.state.ToString());
    }
    return result;
}

MempoolAcceptResult AcceptToMemoryPool(ChainstateManager& chainman, TxMemPool& pool, const TransactionRef& tx,
                                       int64_t accept_time, bool bypass_limits, bool test_accept)
{
    // Asked before taking the chain's lock, which it may take itself.
    const bool chain_is_current = !chainman.IsInitialBlockDownload();
    MempoolAcceptResult result;
    {
        std::lock_guard chain_lock(chainman.GetMutex());
        std::lock_guard pool_lock(pool.GetMutex());
        result = AcceptToMemoryPoolLocked(chainman, pool, tx, accept_time, bypass_limits, test_accept, chain_is_current);
    }
    // Keep the coins cache within its budget after what this lookup added.
    BlockValidationState flush_state;
    chainman.FlushStateToDisk(FlushMode::PERIODIC, flush_state);
    return result;
}

PackageMempoolAcceptResult ProcessNewPackage(ChainstateManager& chainman, TxMemPool& pool, const Package& package,
                                             bool test_accept, std::optional<FeeRate> client_maxfeerate)
{
    PackageMempoolAcceptResult result;
    if (package.empty()) {
        result.state.Invalid(PackageResult::PCKG_POLICY, "package-empty");
        return result;
    }
    if (std::any_of(package.begin(), package.end(), [](const TransactionRef& tx) { return !tx; })) {
        result.state.Invalid(PackageResult::PCKG_POLICY, "package-contains-null");
        return result;
    }
    const bool chain_is_current = !chainman.IsInitialBlockDownload();
    {
        std::lock_guard chain_lock(chainman.GetMutex());
        std::lock_guard pool_lock(pool.GetMutex());
        std::vector<OutPoint> coins_to_uncache;
        MemPoolAccept accept(chainman, pool, chain_is_current);
        if (test_accept) {
            MemPoolAccept::Args args = MemPoolAccept::Args::PackageTestAccept(GetTime(), coins_to_uncache);
            result = accept.AcceptMultipleTransactions(package, args);
        } else {
            MemPoolAccept::Args args =
                MemPoolAccept::Args::PackageChildWithParents(GetTime(), coins_to_uncache, client_maxfeerate);
            result = accept.AcceptPackage(package, args);
        }
        accept.ClearSubPackageState();
        // Coins of transactions that did not enter are not kept in the cache.
        if (test_accept || result.state.IsInvalid()) UncacheCoins(chainman, coins_to_uncache);
    }
    BlockValidationState flush_state;
    chainman.FlushStateToDisk(FlushMode::PERIODIC, flush_state);
    return result;
}

} // namespace cairn
