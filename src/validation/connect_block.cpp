// Connecting a block to the UTXO set (spending its inputs, creating its
// outputs, checking amounts, sigops, lock times and scripts) and
// disconnecting it again with its undo data.
#include "consensus/bip30.h"
#include "consensus/block_check.h"
#include "consensus/consensus.h"
#include "consensus/pow.h"
#include "consensus/script/sigops.h"
#include "consensus/subsidy.h"
#include "consensus/tx_verify.h"
#include "consensus/versionbits.h"
#include "util/strencodings.h"
#include "validation/chainstate_manager.h"
#include "util/log.h"

namespace cairn {

namespace {

/** From this height on, a coinbase could repeat one from before BIP 34 whose
 *  script happened to start with this height, so BIP 30 must be checked
 *  again even on the BIP 34 chain. */
constexpr int BIP34_IMPLIES_BIP30_LIMIT = 1983702;

/** Work equivalent to two weeks of blocks must be built on an assumed-valid
 *  block's descendants before its scripts are skipped. */
constexpr int64_t ASSUMEVALID_MIN_BURY_SECONDS = 60 * 60 * 24 * 7 * 2;

} // namespace

ScriptFlags ChainstateManager::GetBlockScriptFlags(const BlockIndex& index) const
{
    const ConsensusParams& params = m_opts.params->consensus;
    // P2SH, segwit and taproot are enforced from genesis: no block breaking
    // them exists except the listed exceptions, which replace these three
    // only; the buried deployments below still apply to them, as in Core.
    ScriptFlags flags = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_TAPROOT;
    if (auto exception = params.ScriptFlagException(index.GetBlockHash())) flags = *exception;
    if (DeploymentActiveAt(index, params, BuriedDeployment::DERSIG)) flags |= SCRIPT_VERIFY_DERSIG;
    if (DeploymentActiveAt(index, params, BuriedDeployment::CLTV)) flags |= SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY;
    if (DeploymentActiveAt(index, params, BuriedDeployment::CSV)) flags |= SCRIPT_VERIFY_CHECKSEQUENCEVERIFY;
    if (DeploymentActiveAt(index, params, BuriedDeployment::SEGWIT)) flags |= SCRIPT_VERIFY_NULLDUMMY;
    return flags;
}

bool ChainstateManager::ShouldCheckScripts(const BlockIndex& index) const
{
    // -assumevalid, exactly as Core: skip the scripts of a block that is an
    // ancestor of both the assumed-valid block and the best header, when the
    // best header has the minimum chain work and buries the block by more
    // than two weeks of work. Everything else about the block is still checked.
    const ConsensusParams& params = m_opts.params->consensus;
    const uint256 assume = m_opts.assume_valid.value_or(params.default_assume_valid);
    if (assume.IsNull()) return true;
    const BlockIndex* av = m_tree.Lookup(assume);
    const BlockIndex* best = m_tree.BestHeader();
    if (!av || !best) return true;
    if (av->GetAncestor(index.height) != &index) return true;
    if (best->GetAncestor(index.height) != &index) return true;
    const uint256 min_work_hash = m_opts.minimum_chain_work.value_or(params.minimum_chain_work);
    if (best->chain_work < UintToArith256(min_work_hash)) return true;
    if (GetBlockProofEquivalentTime(*best, index, *best, params) <= ASSUMEVALID_MIN_BURY_SECONDS) return true;
    return false;
}

bool ChainstateManager::ConnectBlock(const Block& block, BlockValidationState& state, BlockIndex* index,
                                     CoinsCache& view, bool just_check)
{
    const ConsensusParams& params = m_opts.params->consensus;
    // A block that passed the full CheckBlock when it arrived is not checked again.
    if (!IsCheckedBlock(block) && !CheckBlock(block, state, params, !just_check, !just_check)) {
        if (state.GetResult() == BlockResult::MUTATED) {
            // A block that does not match its header is no reason to reject the header.
            return false;
        }
        return false;
    }

    // The genesis coinbase is not spendable: it is never added to the set.
    if (index->GetBlockHash() == params.genesis_hash) {
        if (!just_check) view.SetBestBlock(index->GetBlockHash());
        return true;
    }

    const bool check_scripts = ShouldCheckScripts(*index);

    bool enforce_bip30 = !IsBIP30Repeat(*index);
    // Once BIP 34 is active on this chain, a repeated coinbase txid is impossible
    // until BIP34_IMPLIES_BIP30_LIMIT, which saves a lookup per output.
    const BlockIndex* bip34_block = index->prev->GetAncestor(params.bip34_height);
    enforce_bip30 = enforce_bip30 && !(bip34_block && bip34_block->GetBlockHash() == params.bip34_hash);
    if (enforce_bip30 || index->height >= BIP34_IMPLIES_BIP30_LIMIT) {
        for (const TransactionRef& tx : block.vtx) {
            for (uint32_t o = 0; o < tx->vout.size(); ++o) {
                if (view.HaveCoin(OutPoint(tx->GetTxid(), o))) {
                    return state.Invalid(BlockResult::CONSENSUS, "bad-txns-BIP30", "tried to overwrite transaction");
                }
            }
        }
    }

    const ScriptFlags flags = GetBlockScriptFlags(*index);
    const unsigned int locktime_flags =
        DeploymentActiveAt(*index, params, BuriedDeployment::CSV) ? LOCKTIME_VERIFY_SEQUENCE : 0;

    BlockUndo undo;
    undo.txundo.reserve(block.vtx.size() - 1);
    // Precomputed sighash data lives until the checks have run.
    std::vector<PrecomputedTxData> txdata(block.vtx.size());
    ScriptCheckControl control(check_scripts && m_script_queue ? m_script_queue.get() : nullptr);
    // Script execution cache entries of the transactions checked here, stored
    // once all checks passed when the block is only being checked.
    std::vector<uint256> exec_entries;

    Amount fees = 0;
    int64_t sigops_cost = 0;
    std::vector<int> prev_heights;
    std::vector<const Coin*> coins;
    std::vector<TxOut> spent;
    for (size_t i = 0; i < block.vtx.size(); ++i) {
        const Transaction& tx = *block.vtx[i];
        spent.clear();
        if (!tx.IsCoinBase()) {
            coins.clear();
            for (const TxIn& in : tx.vin) coins.push_back(&view.AccessCoin(in.prevout));
            TxValidationState tx_state;
            Amount fee = 0;
            if (!CheckTxInputs(tx, tx_state, coins, index->height, fee)) {
                return state.Invalid(BlockResult::CONSENSUS, tx_state.GetRejectReason(),
                                     tx_state.GetDebugMessage() + " in transaction " + tx.GetTxid().GetHex());
            }
            fees += fee;
            if (!MoneyRange(fees)) {
                return state.Invalid(BlockResult::CONSENSUS, "bad-txns-accumulated-fee-outofrange",
                                     "accumulated fee in the block out of range");
            }
            // BIP 68 needs the coins' heights, so it is checked here rather than in ContextualCheckBlock.
            prev_heights.resize(tx.vin.size());
            for (size_t j = 0; j < tx.vin.size(); ++j) prev_heights[j] = int(coins[j]->height);
            if (!SequenceLocks(tx, locktime_flags, prev_heights, *index)) {
                return state.Invalid(BlockResult::CONSENSUS, "bad-txns-nonfinal",
                                     "contains a non-BIP68-final transaction " + tx.GetTxid().GetHex());
            }
            spent.reserve(tx.vin.size());
            for (const Coin* c : coins) spent.push_back(c->out);
        }

        sigops_cost += GetTransactionSigOpCost(tx, spent, flags);
        if (sigops_cost > MAX_BLOCK_SIGOPS_COST) {
            return state.Invalid(BlockResult::CONSENSUS, "bad-blk-sigops", "too many sigops");
        }

        // A transaction whose scripts all passed with these flags before (in
        // the mempool, or in a block checked earlier) is not checked again. A
        // block being connected consumes the entry, as Core does; a block only
        // being checked (a template, a proposal) keeps it for the real connection.
        bool scripts_cached = false;
        if (!tx.IsCoinBase() && check_scripts) {
            const uint256 entry = m_script_exec_cache.Entry(tx, flags);
            scripts_cached = m_script_exec_cache.Get(entry, /*erase=*/!just_check);
            if (!scripts_cached && just_check) exec_entries.push_back(entry);
        }
        if (!tx.IsCoinBase() && check_scripts && !scripts_cached) {
            txdata[i].Init(tx, spent);
            std::vector<ScriptCheck> checks;
            checks.reserve(tx.vin.size());
            for (unsigned int j = 0; j < tx.vin.size(); ++j) {
                // A block only being checked (a template, a proposal) keeps the cached
                // signatures for the real connection and adds its own; a block being
                // connected consumes them, as Core does.
                checks.push_back(ScriptCheck{spent[j], &tx, j, flags, &txdata[i], &m_sig_cache, just_check});
            }
            control.Add(std::move(checks));
        }

        // Spend the inputs (keeping them for undo) and create the outputs.
        if (!tx.IsCoinBase()) {
            TxUndo& tx_undo = undo.txundo.emplace_back();
            tx_undo.prevout.resize(tx.vin.size());
            for (size_t j = 0; j < tx.vin.size(); ++j) view.SpendCoin(tx.vin[j].prevout, &tx_undo.prevout[j]);
        }
        view.AddCoins(tx, index->height, false);
    }

    const Amount reward = fees + GetBlockSubsidy(index->height, params);
    if (block.vtx[0]->GetValueOut() > reward) {
        return state.Invalid(BlockResult::CONSENSUS, "bad-cb-amount",
                             "coinbase pays too much (actual=" + std::to_string(block.vtx[0]->GetValueOut()) +
                                 " vs limit=" + std::to_string(reward) + ")");
    }

    if (auto failure = control.Complete()) {
        return state.Invalid(BlockResult::CONSENSUS,
                             "block-script-verify-flag-failed (" + ScriptErrorString(failure->first) + ")",
                             failure->second);
    }
    if (just_check) {
        for (const uint256& entry : exec_entries) m_script_exec_cache.Add(entry);
        return true;
    }

    // Undo data goes to disk before the coins that depend on it can be flushed.
    if (!(index->status & BLOCK_HAVE_UNDO)) {
        auto pos = m_block_files->WriteUndo(undo, FlatFilePos(index->file, index->data_pos), index->height,
                                            index->prev->GetBlockHash());
        if (!pos) return state.Error("Disk space is too low!");
        index->undo_pos = pos->pos;
        index->status |= BLOCK_HAVE_UNDO;
    }
    if ((index->status & BLOCK_VALID_MASK) < BLOCK_VALID_SCRIPTS) {
        index->status = (index->status & ~BLOCK_VALID_MASK) | BLOCK_VALID_SCRIPTS;
    }
    m_tree.SetDirty(index);
    view.SetBestBlock(index->GetBlockHash());
    return true;
}

ChainstateManager::DisconnectResult ChainstateManager::DisconnectBlock(const Block& block, const BlockIndex* index,
                                                                       CoinsCache& view)
{
    bool clean = true;
    BlockUndo undo;
    try {
        undo = m_block_files->ReadUndo(FlatFilePos(index->file, index->undo_pos), index->prev->GetBlockHash());
    } catch (const std::exception& e) {
        LogError("DisconnectBlock(): failure reading undo data: {}", e.what());
        return DisconnectResult::FAILED;
    }
    if (undo.txundo.size() + 1 != block.vtx.size()) {
        LogError("DisconnectBlock(): block and undo data inconsistent");
        return DisconnectResult::FAILED;
    }
    const bool enforce_bip30 = !IsBIP30Unspendable(*index);

    for (size_t i = block.vtx.size(); i-- > 0;) {
        const Transaction& tx = *block.vtx[i];
        const bool bip30_exception = tx.IsCoinBase() && !enforce_bip30;
        // The outputs must be there, unspent and exactly as created.
        for (uint32_t o = 0; o < tx.vout.size(); ++o) {
            if (tx.vout[o].script_pubkey.IsUnspendable()) continue;
            Coin coin;
            const bool was_unspent = view.SpendCoin(OutPoint(tx.GetTxid(), o), &coin);
            if (!was_unspent || tx.vout[o] != coin.out || int(coin.height) != index->height ||
                coin.IsCoinBase() != tx.IsCoinBase()) {
                if (!bip30_exception) clean = false;
            }
        }
        if (i == 0) break;
        TxUndo& tx_undo = undo.txundo[i - 1];
        if (tx_undo.prevout.size() != tx.vin.size()) {
            LogError("DisconnectBlock(): transaction and undo data inconsistent");
            return DisconnectResult::FAILED;
        }
        for (size_t j = tx.vin.size(); j-- > 0;) {
            const OutPoint& out = tx.vin[j].prevout;
            // Putting back a coin that is already there means the state was not the one we expected.
            const bool overwrite = view.HaveCoin(out);
            if (overwrite) clean = false;
            view.AddCoin(out, std::move(tx_undo.prevout[j]), overwrite);
        }
    }
    view.SetBestBlock(index->prev->GetBlockHash());
    return clean ? DisconnectResult::OK : DisconnectResult::UNCLEAN;
}

} // namespace cairn
