#include "test/util/chain_builder.h"

#include "consensus/block_check.h"
#include "consensus/merkle.h"
#include "consensus/pow.h"
#include "consensus/script/sighash.h"
#include "consensus/subsidy.h"
#include "crypto/hash.h"
#include "script/destination.h"
#include "util/log.h"
#include "validation/coin_stats.h"

#include <atomic>
#include <stdexcept>

namespace cairn::test {

// ---- keys and output scripts ----

Key TestKey(uint32_t n)
{
    if (n == 0) throw std::invalid_argument("TestKey: 0 is not a valid secret");
    uint8_t secret[32] = {};
    for (int i = 0; i < 4; ++i) secret[31 - i] = uint8_t(n >> (8 * i));
    Key key;
    if (!key.Set(ByteSpan(secret, 32), true)) throw std::logic_error("TestKey: invalid secret");
    return key;
}

Script OpTrueScript()
{
    return Script() << OP_TRUE;
}

Script P2WSHOpTrueScript()
{
    return GetScriptForDestination(WitnessV0ScriptHash(OpTrueScript()));
}

Script P2PKHScript(const Key& key)
{
    return GetScriptForDestination(PKHash(key.GetPubKey()));
}

Script P2WPKHScript(const Key& key)
{
    return GetScriptForDestination(WitnessV0KeyHash(key.GetPubKey()));
}

Script P2TRScript(const Key& key)
{
    auto tweaked = key.GetXOnlyPubKey().CreateTapTweak(nullptr);
    if (!tweaked) throw std::logic_error("P2TRScript: cannot tweak");
    return GetScriptForDestination(WitnessV1Taproot(tweaked->first));
}

// ---- transactions ----

Utxo OutputOf(const Transaction& tx, uint32_t n)
{
    return Utxo{OutPoint(tx.GetTxid(), n), tx.vout.at(n)};
}

Utxo OutputOf(const MutableTransaction& tx, uint32_t n)
{
    return Utxo{OutPoint(tx.GetTxid(), n), tx.vout.at(n)};
}

MutableTransaction ToMutable(const Transaction& tx)
{
    MutableTransaction m;
    m.version = tx.version;
    m.vin = tx.vin;
    m.vout = tx.vout;
    m.locktime = tx.locktime;
    return m;
}

MutableTransaction CreateSpend(const std::vector<Utxo>& inputs, std::vector<TxOut> outputs)
{
    MutableTransaction tx;
    tx.version = 2;
    for (const Utxo& u : inputs) {
        TxIn in;
        in.prevout = u.outpoint;
        tx.vin.push_back(std::move(in));
    }
    tx.vout = std::move(outputs);
    return tx;
}

MutableTransaction SpendTo(const Utxo& input, const Script& script, std::optional<Amount> value)
{
    return CreateSpend({input}, {TxOut(value.value_or(input.out.value), script)});
}

void SignTransaction(MutableTransaction& tx, const std::vector<TxOut>& spent, const std::vector<Key>& keys)
{
    if (spent.size() != tx.vin.size()) throw std::invalid_argument("SignTransaction: one spent output per input");
    // Every signature commits to the whole transaction minus the signatures,
    // so one set of precomputed hashes serves all inputs.
    const PrecomputedTxData txdata(tx, spent, true);
    auto find_key = [&](const Script& script) -> const Key& {
        for (const Key& k : keys) {
            if (script == P2PKHScript(k) || script == P2WPKHScript(k) || script == P2TRScript(k)) return k;
        }
        throw std::invalid_argument("SignTransaction: no key for an input's script");
    };
    for (size_t i = 0; i < tx.vin.size(); ++i) {
        const Script& spk = spent[i].script_pubkey;
        const Amount amount = spent[i].value;
        TxIn& in = tx.vin[i];
        int version = -1;
        ByteSpan program;
        const bool witness_program = spk.IsWitnessProgram(version, program);
        if (spk == OpTrueScript()) {
            in.script_sig.clear();
            in.witness.stack.clear();
        } else if (spk == P2WSHOpTrueScript()) {
            in.script_sig.clear();
            in.witness.stack = {OpTrueScript().bytes()};
        } else if (witness_program && version == 0 && program.size() == 20) {
            const Key& key = find_key(spk);
            const Script script_code = P2PKHScript(key);
            const uint256 hash =
                SignatureHash(script_code.span(), tx, unsigned(i), SIGHASH_ALL, amount, SigVersion::WITNESS_V0, &txdata);
            Bytes sig;
            if (!key.SignEcdsa(hash, sig)) throw std::runtime_error("SignTransaction: signing failed");
            sig.push_back(SIGHASH_ALL);
            const PubKey pub = key.GetPubKey();
            in.script_sig.clear();
            in.witness.stack = {sig, Bytes(pub.begin(), pub.end())};
        } else if (witness_program && version == 1 && program.size() == 32) {
            const Key& key = find_key(spk);
            ScriptExecutionData execdata;
            uint256 hash;
            if (!TaprootSignatureHash(hash, execdata, tx, unsigned(i), SIGHASH_DEFAULT, SigVersion::TAPROOT, txdata)) {
                throw std::runtime_error("SignTransaction: no taproot signature hash");
            }
            const uint256 aux{};
            Bytes sig(64);
            if (!key.SignSchnorrTaproot(hash, sig.data(), nullptr, &aux)) {
                throw std::runtime_error("SignTransaction: signing failed");
            }
            in.script_sig.clear();
            in.witness.stack = {sig};
        } else {
            const Key& key = find_key(spk); // P2PKH, or nothing we can sign
            const uint256 hash = SignatureHash(spk.span(), tx, unsigned(i), SIGHASH_ALL, amount, SigVersion::BASE);
            Bytes sig;
            if (!key.SignEcdsa(hash, sig)) throw std::runtime_error("SignTransaction: signing failed");
            sig.push_back(SIGHASH_ALL);
            const PubKey pub = key.GetPubKey();
            in.script_sig = Script() << sig << pub.span();
            in.witness.stack.clear();
        }
    }
}

void SignTransaction(MutableTransaction& tx, const std::vector<Utxo>& inputs, const std::vector<Key>& keys)
{
    std::vector<TxOut> spent;
    for (const Utxo& u : inputs) spent.push_back(u.out);
    SignTransaction(tx, spent, keys);
}

// ---- blocks ----

void AddWitnessCommitment(Block& block)
{
    MutableTransaction coinbase = ToMutable(*block.vtx.at(0));
    coinbase.vin.at(0).witness.stack = {Bytes(32, 0)};
    // The witness root takes the coinbase's wtxid as zero, so the coinbase can
    // be changed freely before or after computing it.
    block.vtx[0] = MakeTransactionRef(coinbase);
    const uint256 root = BlockWitnessMerkleRoot(block);
    Bytes buf(root.begin(), root.end());
    buf.insert(buf.end(), 32, 0);
    const uint256 commitment = Hash256(buf);
    Bytes data{0xaa, 0x21, 0xa9, 0xed};
    data.insert(data.end(), commitment.begin(), commitment.end());
    Script script = Script() << OP_RETURN << data;

    const int pos = GetWitnessCommitmentIndex(block);
    if (pos >= 0) coinbase.vout[pos].script_pubkey = script;
    else coinbase.vout.emplace_back(0, script);
    block.vtx[0] = MakeTransactionRef(std::move(coinbase));
}

ChainBuilder::ChainBuilder(const ChainParams& params, Script coinbase_script)
    : m_params(params), m_coinbase_script(std::move(coinbase_script))
{
    const Block& g = params.genesis;
    m_known[params.consensus.genesis_hash] = Known{0, g.time, g.bits};
}

const ChainBuilder::Known& ChainBuilder::Lookup(const uint256& hash) const
{
    auto it = m_known.find(hash);
    if (it == m_known.end()) throw std::invalid_argument("ChainBuilder: unknown block " + hash.GetHex());
    return it->second;
}

int ChainBuilder::Height(const uint256& hash) const
{
    return Lookup(hash).height;
}

uint32_t ChainBuilder::Time(const uint256& hash) const
{
    return Lookup(hash).time;
}

MutableTransaction ChainBuilder::CreateCoinbase(int height, const Script& script_pubkey, Amount value)
{
    MutableTransaction tx;
    tx.version = 2;
    tx.vin.resize(1);
    tx.vin[0].script_sig.PushInt(height);
    tx.vin[0].script_sig.PushData(ScriptNumEncode(int64_t(++m_counter) + 0x10000)); // always a 3-byte push
    tx.vout.emplace_back(value, script_pubkey);
    return tx;
}

Block ChainBuilder::CreateBlock(const uint256& parent, const std::vector<MutableTransaction>& txs,
                                const BlockOptions& options)
{
    const Known& prev = Lookup(parent);
    const int height = prev.height + 1;
    Block block;
    block.version = options.version;
    block.prev_block = parent;
    block.time = options.time.value_or(prev.time + 1);
    block.bits = options.bits.value_or(prev.bits);
    MutableTransaction coinbase =
        options.coinbase ? *options.coinbase
                         : CreateCoinbase(height, options.coinbase_script.value_or(m_coinbase_script),
                                          options.coinbase_value.value_or(GetBlockSubsidy(height, m_params.consensus)));
    block.vtx.push_back(MakeTransactionRef(std::move(coinbase)));
    for (const MutableTransaction& tx : txs) block.vtx.push_back(MakeTransactionRef(tx));
    Finalize(block, options.witness_commitment);
    return block;
}

std::vector<Block> ChainBuilder::CreateChain(const uint256& parent, int count, const BlockOptions& options)
{
    std::vector<Block> blocks;
    uint256 tip = parent;
    for (int i = 0; i < count; ++i) {
        blocks.push_back(CreateBlock(tip, {}, options));
        tip = blocks.back().GetHash();
    }
    return blocks;
}

void ChainBuilder::Finalize(Block& block, bool force_commitment)
{
    bool has_witness = false;
    for (size_t i = 1; i < block.vtx.size(); ++i) has_witness |= block.vtx[i]->HasWitness();
    if (has_witness || force_commitment || GetWitnessCommitmentIndex(block) >= 0) AddWitnessCommitment(block);
    block.merkle_root = BlockMerkleRoot(block);
    Solve(block);
}

void ChainBuilder::Solve(Block& block)
{
    block.nonce = 0;
    while (!CheckProofOfWork(block.GetHash(), block.bits, m_params.consensus)) ++block.nonce;
    auto prev = m_known.find(block.prev_block);
    if (prev != m_known.end()) m_known[block.GetHash()] = Known{prev->second.height + 1, block.time, block.bits};
}

void ChainBuilder::SolveInvalid(Block& block)
{
    block.nonce = 0;
    while (CheckProofOfWork(block.GetHash(), block.bits, m_params.consensus)) ++block.nonce;
}

// ---- the engine ----

void RecordingNotifications::BlockChecked(const Block& block, const std::string& reject_reason)
{
    {
        std::lock_guard lock(m_mutex);
        m_checked[block.GetHash()] = reject_reason;
    }
    if (on_block_checked) on_block_checked(block, reject_reason);
}

std::optional<std::string> RecordingNotifications::Checked(const uint256& hash) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_checked.find(hash);
    if (it == m_checked.end()) return std::nullopt;
    return it->second;
}

void RecordingNotifications::Forget(const uint256& hash)
{
    std::lock_guard lock(m_mutex);
    m_checked.erase(hash);
}

namespace {
// Nodes may overlap (a test compares two): the log stays quiet until the last one goes.
std::atomic<int> g_live_nodes{0};
} // namespace

TestNode::TestNode(const ChainParams& params, std::filesystem::path datadir, Options options)
    : m_params(params), m_datadir(std::move(datadir)), m_options(options)
{
    if (g_live_nodes++ == 0) Logger::Instance().SetQuiet(true);
    Open();
}

TestNode::~TestNode()
{
    m_chainman.reset();
    if (--g_live_nodes == 0) Logger::Instance().SetQuiet(false);
}

void TestNode::Open()
{
    ChainstateOptions opts;
    opts.datadir = m_datadir;
    opts.params = &m_params;
    opts.notifications = &m_notifications;
    opts.db_cache_bytes = m_options.db_cache_bytes;
    opts.script_threads = m_options.script_threads;
    m_chainman = std::make_unique<ChainstateManager>(opts);
    std::string error;
    if (!m_chainman->Load(error)) throw std::runtime_error("TestNode: Load failed: " + error);
}

void TestNode::Restart()
{
    m_chainman.reset();
    Open();
}

std::string TestNode::Submit(const Block& block)
{
    const uint256 hash = block.GetHash();
    m_notifications.Forget(hash);
    BlockValidationState state;
    bool new_block = false;
    const bool ok = m_chainman->ProcessNewBlock(std::make_shared<const Block>(block), true, true, &new_block, &state);
    if (!ok || !state.IsValid()) return state.GetRejectReason().empty() ? "error" : state.GetRejectReason();
    return m_notifications.Checked(hash).value_or("");
}

std::string TestNode::SubmitAll(const std::vector<Block>& blocks)
{
    for (size_t i = 0; i < blocks.size(); ++i) {
        const std::string result = Submit(blocks[i]);
        if (!result.empty()) return std::to_string(i) + ": " + result;
    }
    return "";
}

uint256 TestNode::UtxoHash()
{
    BlockValidationState state;
    if (!m_chainman->FlushStateToDisk(FlushMode::ALWAYS, state)) {
        throw std::runtime_error("TestNode: flush failed: " + state.ToString());
    }
    std::lock_guard lock(m_chainman->GetMutex());
    return *ComputeCoinsStats(m_chainman->CoinsDatabase(), CoinStatsHashType::HASH_SERIALIZED)->hash;
}

uint32_t TestNode::Status(const uint256& hash)
{
    std::lock_guard lock(m_chainman->GetMutex());
    const BlockIndex* index = m_chainman->Tree().Lookup(hash);
    return index ? index->status : 0;
}

bool TestNode::InTree(const uint256& hash)
{
    return m_chainman->Lookup(hash) != nullptr;
}

} // namespace cairn::test
