#include "test/fuzz/mempool_util.h"

#include "script/destination.h"
#include "util/time.h"
#include "validation/chainstate_manager.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

namespace cairn::fuzz {

namespace {

/** Blocks mined (and invalidated) by inputs before the chain is built again:
 *  the block tree and the block files only grow. */
constexpr size_t MAX_EXTRA_BLOCKS = 200;

Script P2SHOpTrueScript() { return GetScriptForDestination(ScriptHash(test::OpTrueScript())); }

Script PayToAnchorScript()
{
    return Script() << OP_1 << Bytes{PayToAnchor::PROGRAM[0], PayToAnchor::PROGRAM[1]};
}

const char* TypeName(MempoolAcceptResult::ResultType type)
{
    switch (type) {
    case MempoolAcceptResult::ResultType::VALID: return "VALID";
    case MempoolAcceptResult::ResultType::INVALID: return "INVALID";
    case MempoolAcceptResult::ResultType::MEMPOOL_ENTRY: return "MEMPOOL_ENTRY";
    case MempoolAcceptResult::ResultType::DIFFERENT_WITNESS: return "DIFFERENT_WITNESS";
    }
    return "?";
}

/** With MEMPOOL_FUZZ_STATS set, how often each result (and reject reason)
 *  was seen, printed at exit: shows how deep the inputs get. */
class Stats
{
public:
    void Count(const std::string& what)
    {
        if (m_on) ++m_counts[what];
    }
    ~Stats()
    {
        for (const auto& [what, n] : m_counts) std::fprintf(stderr, "%8zu %s\n", n, what.c_str());
    }

private:
    bool m_on{std::getenv("MEMPOOL_FUZZ_STATS") != nullptr};
    std::map<std::string, size_t> m_counts;
};

Stats& GetStats()
{
    static Stats stats;
    return stats;
}

} // namespace

// ---- ByteReader ----

uint8_t ByteReader::Byte()
{
    if (m_b.empty()) return 0;
    const uint8_t v = m_b[0];
    m_b = m_b.subspan(1);
    return v;
}

uint16_t ByteReader::U16()
{
    const uint16_t lo = Byte();
    return uint16_t(lo | Byte() << 8);
}

uint32_t ByteReader::U32()
{
    const uint32_t lo = U16();
    return lo | uint32_t(U16()) << 16;
}

ByteSpan ByteReader::Take(size_t n)
{
    n = std::min(n, m_b.size());
    const ByteSpan out = m_b.first(n);
    m_b = m_b.subspan(n);
    return out;
}

void Fail(const std::string& what)
{
    std::fprintf(stderr, "mempool fuzz invariant failed: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

// ---- MempoolWorld ----

MempoolWorld& MempoolWorld::Get()
{
    static MempoolWorld world;
    return world;
}

MempoolWorld::MempoolWorld()
    : m_params(CreateChainParams(ChainType::REGTEST, {})), m_builder(*m_params, test::P2WSHOpTrueScript())
{
    m_blocks = m_builder.CreateChain(m_builder.GenesisHash(), BASE_HEIGHT);
    for (int height = 1; height <= COINS; ++height) {
        const test::Utxo u = test::OutputOf(*m_blocks[height - 1].vtx[0], 0);
        m_coins.push_back({u.outpoint, u.out});
    }
    // Ten minutes after the tip: out of initial block download.
    m_start_time = int64_t(m_blocks.back().time) + 600;
    Open();
}

void MempoolWorld::Open()
{
    SetMockTime(m_start_time);
    m_dir = std::make_unique<test::TempDir>("cairn_fuzz_mempool");
    m_node = std::make_unique<test::TestNode>(*m_params, m_dir->path());
    const std::string error = m_node->SubmitAll(m_blocks);
    if (!error.empty()) Fail("setup: " + error);
    m_base_tip = Chainman().TipHash();
    std::lock_guard lock(Chainman().GetMutex());
    m_base_tree_size = Chainman().Tree().size();
}

void MempoolWorld::Close()
{
    m_node.reset();
    m_dir.reset();
}

void MempoolWorld::Begin(const MempoolOptions& options)
{
    SetMockTime(m_start_time);
    m_pool = std::make_unique<TxMemPool>(options);
    m_sync = std::make_unique<MempoolChainSync>(Chainman(), *m_pool);
    std::lock_guard lock(Chainman().GetMutex());
    Chainman().SetLockedObserver(m_sync.get());
}

void MempoolWorld::End()
{
    if (!m_mined.empty()) {
        // Disconnects every block mined by this input; their transactions go back to the pool.
        BlockValidationState state;
        if (!Chainman().InvalidateBlock(state, m_mined.front())) Fail("InvalidateBlock: " + state.ToString());
        m_mined.clear();
        CheckPool(*m_pool, true);
        CheckPoolInputs(*this);
    }
    if (Chainman().TipHash() != m_base_tip) Fail("the tip did not go back to the base chain's");
    size_t tree_size;
    {
        std::lock_guard lock(Chainman().GetMutex());
        Chainman().SetLockedObserver(nullptr);
        tree_size = Chainman().Tree().size();
    }
    m_sync.reset();
    m_pool.reset();
    if (tree_size > m_base_tree_size + MAX_EXTRA_BLOCKS) {
        Close();
        Open();
    }
    SetMockTime(0);
}

std::string MempoolWorld::Mine(const std::vector<TransactionRef>& txs)
{
    std::vector<MutableTransaction> mtxs;
    mtxs.reserve(txs.size());
    for (const TransactionRef& tx : txs) mtxs.push_back(test::ToMutable(*tx));
    const Block block = m_builder.CreateBlock(Chainman().TipHash(), mtxs);
    const std::string result = m_node->Submit(block);
    GetStats().Count("block with " + std::string(txs.empty() ? "no" : txs.size() < 5 ? "1-4" : "5+") + " txs");
    if (!result.empty()) return result;
    if (Chainman().TipHash() != block.GetHash()) return "not the tip";
    m_mined.push_back(block.GetHash());
    return "";
}

bool MempoolWorld::DisconnectLast()
{
    if (m_mined.empty()) return false;
    BlockValidationState state;
    if (!Chainman().InvalidateBlock(state, m_mined.back())) Fail("InvalidateBlock: " + state.ToString());
    m_mined.pop_back();
    GetStats().Count("block disconnected");
    return true;
}

// ---- options ----

MempoolOptions ReadOptions(ByteReader& in)
{
    MempoolOptions o;
    o.persist = false;
    const uint8_t flags = in.Byte();
    if (flags & 1) {
        // A small pool, as small as node/ allows: 40 times the descendant
        // size limit (Core's rule for -maxmempool), plus a little.
        o.limits.descendant_size_vbytes = 200 + in.U16() % 5000;
        o.max_size_bytes = o.limits.descendant_size_vbytes * 40 + in.U16();
    }
    if (flags & 2) o.expiry_seconds = 60 + int64_t(in.U16()) * 60;
    if (flags & 4) o.require_standard = false;
    if (flags & 8) {
        o.min_relay_feerate = FeeRate(in.U16() % 5000);
        o.incremental_relay_feerate = FeeRate(in.U16() % 5000);
        o.dust_relay_feerate = FeeRate(in.U16() % 10000);
    }
    if (flags & 16) {
        const uint8_t size = in.Byte();
        o.max_datacarrier_bytes = size == 0 ? std::nullopt : std::optional<unsigned>(size);
    }
    if (flags & 32) {
        o.limits.ancestor_count = 1 + in.Byte() % 30;
        o.limits.descendant_count = 1 + in.Byte() % 30;
        o.limits.ancestor_size_vbytes = 100 + in.U16() * 2;
    }
    if (flags & 64) o.permit_bare_multisig = false;
    return o;
}

// ---- TxFactory ----

TxFactory::TxFactory(MempoolWorld& world) : m_world(world), m_outputs(world.Coins()) {}

TxIn TxFactory::InputFor(ByteReader& in, const OutPoint& outpoint) const
{
    TxIn txin;
    txin.prevout = outpoint;
    const uint8_t kind = in.Byte();
    switch (kind % 16) {
    case 8:
    case 9: txin.sequence = TxIn::SEQUENCE_FINAL - 2; break; // signals replaceability (BIP 125)
    case 10: txin.sequence = TxIn::SEQUENCE_FINAL - 1; break;
    case 11: txin.sequence = in.Byte() % 4; break; // BIP 68: a few blocks
    case 12: txin.sequence = TxIn::SEQUENCE_LOCKTIME_TYPE_FLAG | (in.Byte() % 4); break; // BIP 68: 512 s units
    case 13: txin.sequence = TxIn::SEQUENCE_LOCKTIME_DISABLE_FLAG | in.Byte(); break;
    case 14: txin.sequence = 0; break;
    case 15: txin.sequence = in.U32(); break;
    default: txin.sequence = TxIn::SEQUENCE_FINAL; break;
    }
    return txin;
}

const Spendable* TxFactory::Find(const OutPoint& outpoint) const
{
    // Newest first: what is looked up is usually recent.
    for (auto it = m_outputs.rbegin(); it != m_outputs.rend(); ++it) {
        if (it->outpoint == outpoint) return &*it;
    }
    return nullptr;
}

const Spendable& TxFactory::PickOutput(ByteReader& in)
{
    const uint8_t how = in.Byte();
    if ((how & 3) != 3) {
        // One that exists and is unspent in the pool: a coin of the base
        // chain or an output of a pool entry (newest first half of the time).
        std::vector<size_t> usable;
        {
            TxMemPool& pool = m_world.Pool();
            std::lock_guard lock(pool.GetMutex());
            for (size_t i = 0; i < m_outputs.size(); ++i) {
                const OutPoint& o = m_outputs[i].outpoint;
                if ((i < m_world.Coins().size() || pool.Exists(o.hash)) && !pool.GetSpender(o)) usable.push_back(i);
            }
        }
        if (!usable.empty()) {
            const size_t k = (how & 4) ? usable.size() - 1 - in.Index(std::min<size_t>(usable.size(), 8))
                                       : in.Index(usable.size());
            return m_outputs[usable[k]];
        }
    }
    // Any output made so far: spent ones (conflicts), of rejected or unknown transactions.
    if ((how & 4) && m_outputs.size() > 16) return m_outputs[m_outputs.size() - 1 - in.Index(16)];
    return m_outputs[in.Index(m_outputs.size())];
}

TransactionRef TxFactory::Make(ByteReader& in)
{
    MutableTransaction mtx;
    std::vector<const Spendable*> spent;
    const uint8_t n = in.Byte();
    const size_t inputs = n == 0x80 ? 0 : 1 + (n % 8 == 7 ? 1 + n / 8 % 3 : 0); // mostly one, up to four
    for (size_t i = 0; i < inputs; ++i) {
        if (in.Byte() == 0xff) {
            // An outpoint nobody created.
            Bytes hash(32, 0xee);
            hash[0] = in.Byte();
            mtx.vin.push_back(InputFor(in, OutPoint(uint256(ByteSpan(hash)), in.Byte() % 4)));
            spent.push_back(nullptr);
            continue;
        }
        const size_t index = &PickOutput(in) - m_outputs.data();
        mtx.vin.push_back(InputFor(in, m_outputs[index].outpoint));
        spent.push_back(&m_outputs[index]);
    }
    return Finish(in, std::move(mtx), spent);
}

TransactionRef TxFactory::MakeChild(ByteReader& in, const std::vector<TransactionRef>& parents)
{
    MutableTransaction mtx;
    std::vector<const Spendable*> spent;
    for (const TransactionRef& parent : parents) {
        if (parent->vout.empty()) continue;
        const OutPoint outpoint(parent->GetTxid(), uint32_t(in.Index(parent->vout.size())));
        mtx.vin.push_back(InputFor(in, outpoint));
        spent.push_back(Find(outpoint));
    }
    if (in.Byte() % 4 == 3) {
        const size_t index = &PickOutput(in) - m_outputs.data();
        mtx.vin.push_back(InputFor(in, m_outputs[index].outpoint));
        spent.push_back(&m_outputs[index]);
    }
    return Finish(in, std::move(mtx), spent);
}

TransactionRef TxFactory::MakeConflict(ByteReader& in, const TransactionRef& tx)
{
    if (!tx || tx->vin.empty()) return Make(in);
    MutableTransaction mtx;
    std::vector<const Spendable*> spent;
    const OutPoint& prevout = tx->vin[in.Index(tx->vin.size())].prevout;
    mtx.vin.push_back(InputFor(in, prevout));
    spent.push_back(Find(prevout));
    if (in.Bit()) {
        const size_t index = &PickOutput(in) - m_outputs.data();
        mtx.vin.push_back(InputFor(in, m_outputs[index].outpoint));
        spent.push_back(&m_outputs[index]);
    }
    return Finish(in, std::move(mtx), spent);
}

TransactionRef TxFactory::Finish(ByteReader& in, MutableTransaction mtx, const std::vector<const Spendable*>& spent)
{
    const uint8_t flags = in.Byte();
    switch (flags & 7) {
    case 4:
    case 5: mtx.version = 3; break; // TRUC
    case 6: mtx.version = 1; break;
    case 7: mtx.version = in.U32(); break;
    default: mtx.version = 2; break;
    }
    const uint32_t height = uint32_t(m_world.Chainman().Height());
    switch ((flags >> 3) & 7) {
    case 4: mtx.locktime = height; break;
    case 5: mtx.locktime = height + 1 + in.Byte() % 3; break; // final only in a block or two
    case 6: mtx.locktime = uint32_t(m_world.StartTime() - 620 + in.Byte() % 64); break; // around the tip's median time
    case 7: mtx.locktime = in.U32(); break;
    default: mtx.locktime = 0; break;
    }

    // Outputs: some with fixed small values (dust, zero, anchors, data), the
    // rest share what the inputs hold minus the fee.
    Amount total_in = 0;
    for (const Spendable* s : spent) {
        if (s) total_in += s->out.value;
    }
    Amount fee;
    const uint8_t fee_kind = in.Byte();
    switch (fee_kind % 16) {
    case 0: fee = 0; break;
    case 1: fee = fee_kind; break;
    case 10:
    case 11: fee = Amount(in.U16()) * 100; break;
    case 12: fee = total_in; break;                   // nothing left for the outputs
    case 13: fee = -Amount(1 + in.Byte()); break;     // outputs worth more than the inputs
    case 14: fee = total_in - in.U16(); break;        // outputs get only a few satoshis
    case 15: fee = Amount(in.U16()) * 10; break;
    default: fee = in.U16(); break;
    }
    const uint8_t n_out = in.Byte();
    const size_t outputs = n_out == 0x80 ? 0 : 1 + n_out % 4;
    std::vector<size_t> shares;
    for (size_t i = 0; i < outputs; ++i) {
        const uint8_t kind = in.Byte();
        switch (kind % 16) {
        case 9:
            mtx.vout.emplace_back(0, P2SHOpTrueScript());
            shares.push_back(i);
            break;
        case 10:
            mtx.vout.emplace_back(0, test::OpTrueScript()); // bare: not standard
            shares.push_back(i);
            break;
        case 11:
            mtx.vout.emplace_back(0, PayToAnchorScript()); // zero: ephemeral dust
            if (kind & 0x80) shares.push_back(i);
            break;
        case 12: {
            // OP_RETURN data, now and then large enough to fill a small pool quickly.
            const size_t len = (kind & 0x40) ? in.U16() % 4000 : in.Byte() % 100;
            Bytes data(len, 0x42);
            const ByteSpan given = in.Take(std::min<size_t>(len, 4));
            std::copy(given.begin(), given.end(), data.begin());
            mtx.vout.emplace_back((kind & 0x80) ? 1000 : 0, Script() << OP_RETURN << data);
            break;
        }
        case 13: mtx.vout.emplace_back(Amount(in.Byte()) * (1 + (kind >> 4)), test::P2WSHOpTrueScript()); break;
        case 14: mtx.vout.emplace_back(0, test::P2WSHOpTrueScript()); break; // zero-value dust
        default:
            mtx.vout.emplace_back(0, test::P2WSHOpTrueScript());
            shares.push_back(i);
            break;
        }
    }
    Amount left = total_in - fee;
    for (const TxOut& out : mtx.vout) left -= out.value;
    if (!shares.empty()) {
        const Amount each = left / Amount(shares.size());
        for (size_t i : shares) mtx.vout[i].value = each;
        mtx.vout[shares[0]].value += left - each * Amount(shares.size());
    }

    // Witnesses and scriptSigs: right, missing, or with something extra.
    const uint8_t wmode = (flags >> 6) == 3 ? 1 + in.Byte() % 3 : 0;
    for (size_t i = 0; i < mtx.vin.size(); ++i) {
        TxIn& txin = mtx.vin[i];
        const Spendable* s = spent[i];
        if (wmode == 1 || !s) continue; // stripped
        const Script& spk = s->out.script_pubkey;
        if (spk == test::P2WSHOpTrueScript()) {
            txin.witness.stack = {test::OpTrueScript().bytes()};
        } else if (spk == P2SHOpTrueScript()) {
            txin.script_sig = Script() << test::OpTrueScript().bytes();
        }
    }
    if (!mtx.vin.empty()) {
        if (wmode == 2) mtx.vin[0].witness.stack.push_back(Bytes{in.Byte()});
        if (wmode == 3) mtx.vin[0].script_sig << OP_1;
    }

    TransactionRef tx = MakeTransactionRef(std::move(mtx));
    for (uint32_t n = 0; n < tx->vout.size(); ++n) m_outputs.push_back({OutPoint(tx->GetTxid(), n), tx->vout[n]});
    m_made.push_back(tx);
    return tx;
}

TransactionRef TxFactory::Malleate(ByteReader& in, const TransactionRef& tx)
{
    if (!tx || tx->vin.empty()) return nullptr;
    MutableTransaction mtx = test::ToMutable(*tx);
    TxIn& txin = mtx.vin[in.Index(mtx.vin.size())];
    if (!txin.witness.stack.empty() && in.Bit()) {
        txin.witness.stack.clear();
    } else {
        txin.witness.stack.push_back(Bytes(in.Byte() % 3, in.Byte()));
    }
    return MakeTransactionRef(std::move(mtx));
}

TransactionRef TxFactory::Pick(ByteReader& in) const
{
    if (m_made.empty()) return nullptr;
    return m_made[in.Index(m_made.size())];
}

// ---- checks ----

void CheckPool(TxMemPool& pool, bool check_usage)
{
    std::lock_guard lock(pool.GetMutex());
    GetStats().Count("pool size " + std::to_string(std::min<size_t>(pool.Size(), 10) / 5 * 5) + "+");
    try {
        pool.Check();
    } catch (const std::exception& e) {
        Fail(std::string("Check(): ") + e.what());
    }
    if (!check_usage) return;
    const size_t limit = size_t(std::max<int64_t>(pool.Options().max_size_bytes, 0));
    if (pool.Size() != 0 && pool.DynamicMemoryUsage() > limit) {
        Fail("usage " + std::to_string(pool.DynamicMemoryUsage()) + " above the limit " + std::to_string(limit) +
             " after trimming, with " + std::to_string(pool.Size()) + " entries");
    }
}

size_t PoolSize(TxMemPool& pool)
{
    std::lock_guard lock(pool.GetMutex());
    return pool.Size();
}

namespace {

/** One transaction's result, the pool's lock held. */
void CheckOneResult(const TxMemPool& pool, const Transaction& tx, const MempoolAcceptResult& r, bool test_accept,
                    const std::string& where)
{
    const std::string what = where + " " + TypeName(r.type) + " for " + tx.GetTxid().GetHex() + ": ";
    GetStats().Count(where + " " + TypeName(r.type) + " " + r.state.GetRejectReason() +
                     (r.replaced_transactions.empty() ? "" : " (replacing)"));
    switch (r.type) {
    case MempoolAcceptResult::ResultType::INVALID:
        if (r.state.IsValid()) Fail(what + "the state is valid");
        if (r.state.GetRejectReason().empty()) Fail(what + "no reject reason");
        if (!test_accept && r.state.GetRejectReason() != "txn-already-in-mempool" && pool.ExistsWtxid(tx.GetWtxid())) {
            Fail(what + "rejected (" + r.state.GetRejectReason() + ") but in the pool");
        }
        break;
    case MempoolAcceptResult::ResultType::VALID:
        if (!r.vsize || !r.base_fees) Fail(what + "no vsize or fees");
        if (*r.vsize <= 0) Fail(what + "vsize " + std::to_string(*r.vsize));
        if (!test_accept) {
            const MempoolEntry* entry = pool.GetByWtxid(tx.GetWtxid());
            if (!entry) Fail(what + "accepted but not in the pool");
            if (entry->GetFee() != *r.base_fees || entry->GetTxSize() != *r.vsize) {
                Fail(what + "fee or vsize differ from the entry's");
            }
        }
        if (test_accept && pool.ExistsWtxid(tx.GetWtxid())) Fail(what + "test acceptance, yet in the pool");
        for (const TransactionRef& replaced : r.replaced_transactions) {
            if (pool.Exists(replaced->GetTxid())) Fail(what + "replaced " + replaced->GetTxid().GetHex() + " still in the pool");
        }
        break;
    case MempoolAcceptResult::ResultType::MEMPOOL_ENTRY: {
        const MempoolEntry* entry = pool.GetByWtxid(tx.GetWtxid());
        if (!entry) Fail(what + "not in the pool");
        if (!r.vsize || !r.base_fees || entry->GetFee() != *r.base_fees || entry->GetTxSize() != *r.vsize) {
            Fail(what + "fee or vsize differ from the entry's");
        }
        break;
    }
    case MempoolAcceptResult::ResultType::DIFFERENT_WITNESS: {
        if (!r.other_wtxid) Fail(what + "no other wtxid");
        const MempoolEntry* other = pool.GetByWtxid(*r.other_wtxid);
        if (!other || other->Txid() != tx.GetTxid()) Fail(what + "the other witness is not in the pool");
        break;
    }
    }
}

} // namespace

void CheckAcceptResult(TxMemPool& pool, const TransactionRef& tx, const MempoolAcceptResult& result,
                       bool test_accept, size_t size_before)
{
    {
        std::lock_guard lock(pool.GetMutex());
        CheckOneResult(pool, *tx, result, test_accept, "AcceptToMemoryPool");
        if (test_accept && pool.Size() != size_before) Fail("test acceptance changed the pool's size");
    }
    const bool trimmed = !test_accept && result.type == MempoolAcceptResult::ResultType::VALID;
    CheckPool(pool, trimmed);
}

void CheckPackageResult(TxMemPool& pool, const Package& package, const PackageMempoolAcceptResult& result,
                        bool test_accept, size_t size_before)
{
    bool any_valid = false;
    {
        std::lock_guard lock(pool.GetMutex());
        if (!result.state.IsValid() && result.state.GetRejectReason().empty()) Fail("package rejected without a reason");
        GetStats().Count(std::string("package ") + (test_accept ? "test " : "") + result.state.GetRejectReason());
        for (const auto& entry : result.results) {
            const uint256& wtxid = entry.first;
            const MempoolAcceptResult& r = entry.second;
            const auto it = std::find_if(package.begin(), package.end(),
                                         [&](const TransactionRef& tx) { return tx->GetWtxid() == wtxid; });
            if (it == package.end()) Fail("a package result for a wtxid not in the package");
            CheckOneResult(pool, **it, r, test_accept, "ProcessNewPackage");
            any_valid |= r.type == MempoolAcceptResult::ResultType::VALID;
        }
        if (result.state.IsValid()) {
            for (const TransactionRef& tx : package) {
                if (!result.results.count(tx->GetWtxid())) Fail("valid package without a result for " + tx->GetWtxid().GetHex());
                if (!test_accept && !pool.Exists(tx->GetTxid())) {
                    Fail("valid package, yet " + tx->GetTxid().GetHex() + " is not in the pool");
                }
            }
        }
        if (test_accept && pool.Size() != size_before) Fail("package test acceptance changed the pool's size");
    }
    CheckPool(pool, !test_accept && any_valid);
}

void CheckPoolInputs(MempoolWorld& world)
{
    std::vector<OutPoint> from_chain;
    {
        TxMemPool& pool = world.Pool();
        std::lock_guard lock(pool.GetMutex());
        for (const MempoolEntry* e : pool.EntriesTopological()) {
            for (const TxIn& txin : e->GetTx().vin) {
                const MempoolEntry* spender = pool.GetSpender(txin.prevout);
                if (!spender || spender->Txid() != e->Txid()) Fail("an entry's input is not marked spent by it");
                if (const MempoolEntry* parent = pool.Get(txin.prevout.hash)) {
                    if (txin.prevout.n >= parent->GetTx().vout.size()) Fail("an entry spends a pool output that does not exist");
                } else {
                    from_chain.push_back(txin.prevout);
                }
            }
        }
    }
    const int next_height = world.Chainman().Height() + 1;
    for (const OutPoint& o : from_chain) {
        const std::optional<Coin> coin = world.Chainman().GetCoin(o);
        if (!coin || coin->IsSpent()) {
            Fail("a pool entry spends " + o.hash.GetHex() + ":" + std::to_string(o.n) +
                 ", neither in the pool nor an unspent coin at height " + std::to_string(next_height - 1));
        }
        if (coin->IsCoinBase() && next_height - int(coin->height) < 100) {
            Fail("a pool entry spends an immature coinbase at height " + std::to_string(next_height - 1));
        }
    }
}

std::vector<TransactionRef> PickForBlock(TxMemPool& pool, ByteReader& in, bool all)
{
    std::lock_guard lock(pool.GetMutex());
    std::set<uint256> chosen;
    std::vector<TransactionRef> txs;
    uint8_t bits = 0;
    size_t i = 0;
    for (const MempoolEntry* e : pool.EntriesTopological()) {
        if (!all && i++ % 8 == 0) bits = in.Byte();
        const bool want = all || (bits & 1);
        bits >>= 1;
        if (!want) continue;
        const bool parents_chosen = std::all_of(e->GetTx().vin.begin(), e->GetTx().vin.end(), [&](const TxIn& txin) {
            return !pool.Exists(txin.prevout.hash) || chosen.count(txin.prevout.hash);
        });
        if (!parents_chosen) continue;
        chosen.insert(e->Txid());
        txs.push_back(e->GetSharedTx());
    }
    return txs;
}

} // namespace cairn::fuzz
