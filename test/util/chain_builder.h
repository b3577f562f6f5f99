// A regtest chain builder for tests, and a small harness around the
// validation engine.
//
// ChainBuilder makes coinbases (BIP 34 height first), blocks on any parent
// it knows (merkle root, BIP 141 witness commitment when a transaction has
// a witness, proof of work: on regtest about two nonces), and the helpers
// below build and sign spends of the usual output types with test keys.
// TestNode opens a ChainstateManager on a datadir and reports each
// submitted block's fate the way submitblock does (the reject reason, also
// for blocks found invalid only when connected).
#ifndef CAIRN_TEST_UTIL_CHAIN_BUILDER_H
#define CAIRN_TEST_UTIL_CHAIN_BUILDER_H

#include "consensus/chain_params.h"
#include "crypto/key.h"
#include "primitives/block.h"
#include "validation/chainstate_manager.h"
#include "validation/notifications.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cairn::test {

// ---- keys and output scripts ----

/** A fixed compressed key: the secret is `n` (non-zero) as a 32-byte big-endian number. */
Key TestKey(uint32_t n);

Script OpTrueScript();      // OP_TRUE: spent with an empty scriptSig
Script P2WSHOpTrueScript(); // P2WSH of OP_TRUE: spent with the witness script as the only witness item
Script P2PKHScript(const Key& key);
Script P2WPKHScript(const Key& key);
Script P2TRScript(const Key& key); // key-path only (no script tree)

// ---- transactions ----

/** An output a test can spend: where it is and what it holds. */
struct Utxo {
    OutPoint outpoint;
    TxOut out;
};
Utxo OutputOf(const Transaction& tx, uint32_t n = 0);
Utxo OutputOf(const MutableTransaction& tx, uint32_t n = 0);

MutableTransaction ToMutable(const Transaction& tx);

/** An unsigned version-2 transaction spending `inputs` (sequence final) into `outputs`. */
MutableTransaction CreateSpend(const std::vector<Utxo>& inputs, std::vector<TxOut> outputs);
/** One input, one output of `value` (default: the input's value) to `script`. */
MutableTransaction SpendTo(const Utxo& input, const Script& script, std::optional<Amount> value = std::nullopt);

/** Fills every input's scriptSig and witness, given the outputs spent (in
 *  input order): OP_TRUE needs nothing, P2WSH(OP_TRUE) gets its witness
 *  script, P2PKH / P2WPKH (ECDSA, SIGHASH_ALL) and P2TR key path (Schnorr,
 *  SIGHASH_DEFAULT) are signed with whichever of `keys` they pay to.
 *  Throws std::invalid_argument for any other output or a missing key. */
void SignTransaction(MutableTransaction& tx, const std::vector<TxOut>& spent, const std::vector<Key>& keys = {});
/** As above, the spent outputs taken from `inputs` (in the same order as tx.vin). */
void SignTransaction(MutableTransaction& tx, const std::vector<Utxo>& inputs, const std::vector<Key>& keys = {});

// ---- blocks ----

struct BlockOptions {
    /** Default: the parent's time + 1. */
    std::optional<uint32_t> time{};
    /** What the coinbase pays to; default: the builder's coinbase script. */
    std::optional<Script> coinbase_script{};
    /** Default: the block subsidy at the block's height (fees are left unclaimed). */
    std::optional<Amount> coinbase_value{};
    /** Replaces the generated coinbase (a witness commitment is still added when needed). */
    std::optional<MutableTransaction> coinbase{};
    int32_t version{0x20000000};
    /** Default: the parent's nBits (regtest never retargets). */
    std::optional<uint32_t> bits{};
    /** Commit to the witnesses even if no transaction has one. */
    bool witness_commitment{false};
};

class ChainBuilder
{
public:
    explicit ChainBuilder(const ChainParams& params, Script coinbase_script = OpTrueScript());

    const ChainParams& Params() const { return m_params; }
    const Block& Genesis() const { return m_params.genesis; }
    uint256 GenesisHash() const { return m_params.consensus.genesis_hash; }

    /** A coinbase for `height`: scriptSig = <height> <counter> (BIP 34, and
     *  unique per builder so that sibling blocks differ), one output. */
    MutableTransaction CreateCoinbase(int height, const Script& script_pubkey, Amount value);

    /** A solved block on `parent` (the genesis block or one this builder
     *  solved) with a coinbase and then `txs`. */
    Block CreateBlock(const uint256& parent, const std::vector<MutableTransaction>& txs = {},
                      const BlockOptions& options = {});
    /** `count` coinbase-only blocks, each on the previous one. */
    std::vector<Block> CreateChain(const uint256& parent, int count, const BlockOptions& options = {});

    /** After editing a block: the witness commitment (updated or added when
     *  a transaction has a witness or `force_commitment`; the coinbase then
     *  gets the 32-byte zero reserved value), the merkle root, then Solve. */
    void Finalize(Block& block, bool force_commitment = false);
    /** Searches a nonce whose hash meets the target and remembers the block. */
    void Solve(Block& block);
    /** Searches a nonce whose hash does NOT meet the target (for high-hash). */
    void SolveInvalid(Block& block);

    /** Height and time of a block this builder solved (or the genesis block); throws if unknown. */
    int Height(const uint256& hash) const;
    uint32_t Time(const uint256& hash) const;

private:
    struct Known {
        int height;
        uint32_t time;
        uint32_t bits;
    };
    const Known& Lookup(const uint256& hash) const;

    const ChainParams& m_params;
    Script m_coinbase_script;
    uint32_t m_counter{0};
    std::map<uint256, Known> m_known;
};

/** Appends (or updates) the BIP 141 commitment of `block`'s witnesses in
 *  its coinbase and sets the coinbase's reserved value to 32 zero bytes.
 *  The merkle root is not updated. */
void AddWitnessCommitment(Block& block);

// ---- the engine ----

/** Records BlockChecked results (as submitblock's state catcher does). */
class RecordingNotifications : public ValidationNotifications
{
public:
    void BlockChecked(const Block& block, const std::string& reject_reason) override;
    /** The last recorded result for `hash`: "" when valid, nullopt when never checked. */
    std::optional<std::string> Checked(const uint256& hash) const;
    void Forget(const uint256& hash);
    /** Called on every BlockChecked, from inside the engine (for a block
     *  being connected, with the engine's lock held by this thread). */
    std::function<void(const Block&, const std::string&)> on_block_checked;

private:
    mutable std::mutex m_mutex;
    std::map<uint256, std::string> m_checked;
};

/** A ChainstateManager on `datadir` (a regtest one, normally), loaded, with
 *  its log silenced while the node exists. */
class TestNode
{
public:
    struct Options {
        size_t db_cache_bytes{size_t(16) << 20};
        int script_threads{0};
    };
    TestNode(const ChainParams& params, std::filesystem::path datadir, Options options);
    TestNode(const ChainParams& params, std::filesystem::path datadir) : TestNode(params, std::move(datadir), Options{}) {}
    ~TestNode();

    ChainstateManager& operator*() { return *m_chainman; }
    ChainstateManager* operator->() { return m_chainman.get(); }
    ChainstateManager& Chainman() { return *m_chainman; }

    /** ProcessNewBlock (forced, PoW checked). Returns "" if the block was
     *  stored and, if it was connected, found valid; otherwise the reject
     *  reason: the state's, or the one reported when connecting it. */
    std::string Submit(const Block& block);
    /** Submits each block in order; returns the first failure's "index: reason", or "". */
    std::string SubmitAll(const std::vector<Block>& blocks);
    /** Destroys the manager (flushing it) and opens the same datadir again. */
    void Restart();

    /** FlushStateToDisk(ALWAYS), then the UTXO set's hash_serialized_3. */
    uint256 UtxoHash();
    /** The entry's status bits (0 if the block is not in the tree). */
    uint32_t Status(const uint256& hash);
    bool InTree(const uint256& hash);
    RecordingNotifications& Notifications() { return m_notifications; }

private:
    void Open();

    const ChainParams& m_params;
    std::filesystem::path m_datadir;
    Options m_options;
    RecordingNotifications m_notifications;
    std::unique_ptr<ChainstateManager> m_chainman;
};

} // namespace cairn::test

#endif
