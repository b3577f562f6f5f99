// The P2P message handler (PeerManager) fed by a peer that says anything:
// each input is one connection of a fake peer (no socket) that sends a
// series of (command, payload) messages through the real v1 parser, the
// per-peer receive queue, ProcessMessages, ProcessEvents and SendMessages,
// with the clock moved between messages.
//
// The world is built once: a regtest chain of 20 blocks in a temporary
// datadir, an empty mempool, an address manager, the peer manager and a
// connection manager that is never started. Each input gets a fresh Node
// (finalized at the end, so per-peer state goes with it) and the same
// mocked start time. An input that changes the chain (a header or block
// accepted) or the mempool makes the world be built again, so one input
// cannot change what the next one sees and nothing grows over a run.
//
// Input: a flags byte (connection type, local or public address, whether
// the handshake is done for the peer first), then messages: a selector byte
// (a known message type, or a raw command of up to 12 bytes that follow), a
// 16-bit little-endian payload length and the payload, then one byte of
// seconds to move the clock.
#include "mempool/tx_mempool.h"
#include "net/addrman.h"
#include "net/connman.h"
#include "net/messages.h"
#include "net/peer_manager.h"
#include "net/transport_v1.h"
#include "test/fuzz/fuzz.h"
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"
#include "util/time.h"

#include <cstdlib>
#include <memory>

using namespace cairn;

namespace {

constexpr int CHAIN_LENGTH = 20;
/** Messages taken from one input, and ProcessMessages rounds per message. */
constexpr int MAX_MESSAGES = 200;
constexpr int MAX_ROUNDS = 64;

class Input
{
public:
    explicit Input(ByteSpan b) : m_b(b) {}
    bool empty() const { return m_b.empty(); }
    uint8_t Byte()
    {
        if (m_b.empty()) return 0;
        const uint8_t v = m_b[0];
        m_b = m_b.subspan(1);
        return v;
    }
    uint16_t U16()
    {
        const uint16_t lo = Byte();
        return uint16_t(lo | Byte() << 8);
    }
    ByteSpan Take(size_t n)
    {
        n = std::min(n, m_b.size());
        const ByteSpan out = m_b.first(n);
        m_b = m_b.subspan(n);
        return out;
    }

private:
    ByteSpan m_b;
};

class World
{
public:
    World() : m_params(CreateChainParams(ChainType::REGTEST, {}))
    {
        test::ChainBuilder builder(*m_params);
        m_blocks = builder.CreateChain(builder.GenesisHash(), CHAIN_LENGTH);
        // Ten minutes after the tip: out of initial block download.
        start_time = int64_t(m_blocks.back().time) + 600;
        Open();
    }
    ~World() { Close(); }

    /** Builds everything again if the last input changed the chain or the pool. */
    void ResetIfChanged()
    {
        size_t pool_size;
        {
            std::lock_guard lock(pool->GetMutex());
            pool_size = pool->Size();
        }
        bool changed = m_chain->Chainman().TipHash() != m_tip;
        {
            std::lock_guard lock(m_chain->Chainman().GetMutex());
            changed |= m_chain->Chainman().Tree().size() != m_tree_size;
        }
        if (changed || pool_size != 0) {
            Close();
            Open();
        }
    }

    const MessageStart& Magic() const { return m_params->message_start; }

    int64_t start_time{0};
    std::unique_ptr<TxMemPool> pool;
    std::unique_ptr<PeerManager> peerman;

private:
    void Open()
    {
        m_dir = std::make_unique<test::TempDir>("cairn_fuzz_process_message");
        m_chain = std::make_unique<test::TestNode>(*m_params, m_dir->path());
        if (!m_chain->SubmitAll(m_blocks).empty()) std::abort();
        pool = std::make_unique<TxMemPool>(MempoolOptions{});
        m_addrman = std::make_unique<AddrMan>(/*deterministic=*/true, /*consistency_check_ratio=*/0);
        PeerManagerOptions opts;
        opts.user_agent = "/cairn-fuzz/";
        peerman = std::make_unique<PeerManager>(m_chain->Chainman(), opts);
        ConnManOptions co;
        co.magic = m_params->message_start;
        co.default_port = m_params->default_port;
        co.use_addrman_outgoing = false;
        co.dns_seed = false;
        m_connman = std::make_unique<ConnMan>(co, *peerman, *m_addrman);
        peerman->SetConnMan(m_connman.get());
        peerman->SetAddrRelay(m_addrman.get(), nullptr, nullptr);
        peerman->SetMempool(pool.get());
        // Blocks found invalid when connected are reported to the peer manager, as the node's notifications do.
        m_chain->Notifications().on_block_checked = [pm = peerman.get()](const Block& b, const std::string& reason) {
            pm->BlockChecked(b, reason);
        };
        m_tip = m_chain->Chainman().TipHash();
        std::lock_guard lock(m_chain->Chainman().GetMutex());
        m_tree_size = m_chain->Chainman().Tree().size();
    }

    void Close()
    {
        if (m_chain) m_chain->Notifications().on_block_checked = nullptr;
        m_connman.reset();
        peerman.reset(); // lets go of the pool
        m_addrman.reset();
        pool.reset();
        m_chain.reset();
        m_dir.reset();
    }

    std::unique_ptr<const ChainParams> m_params;
    std::vector<Block> m_blocks;
    std::unique_ptr<test::TempDir> m_dir;
    std::unique_ptr<test::TestNode> m_chain;
    std::unique_ptr<AddrMan> m_addrman;
    std::unique_ptr<ConnMan> m_connman;
    size_t m_tree_size{0};
    uint256 m_tip;
};

World& GetWorld()
{
    static World world;
    return world;
}

/** What the socket thread does with received bytes, then one message-handler turn. */
void Deliver(World& w, Node& node, std::string_view command, ByteSpan payload)
{
    const Bytes wire = FrameMessage(w.Magic(), command, payload);
    std::vector<ReceivedMessage> msgs;
    std::string error;
    if (!node.parser.Feed(wire, msgs, error)) node.disconnect = true;
    {
        std::lock_guard lock(node.m_recv_mutex);
        for (ReceivedMessage& m : msgs) {
            if (m.rejected) continue;
            node.m_process_queue_bytes += m.raw_size;
            node.m_process_queue.push_back(std::move(m));
        }
    }
    for (int i = 0; i < MAX_ROUNDS && !node.disconnect; ++i) {
        if (!w.peerman->ProcessMessages(node)) break;
    }
    w.peerman->ProcessEvents();
    w.peerman->SendMessages(node);
}

Bytes OurVersion(int64_t now)
{
    VersionMsg v;
    v.version = PROTOCOL_VERSION;
    v.services = NODE_NETWORK | NODE_WITNESS;
    v.time = now;
    v.nonce = 0x0123456789abcdefULL;
    v.user_agent = "/fuzz-peer/";
    v.start_height = CHAIN_LENGTH;
    return SerializeVersion(v);
}

} // namespace

FUZZ_TARGET(process_message)
{
    World& w = GetWorld();
    Input in(buffer);
    SetMockTime(w.start_time);

    const uint8_t flags = in.Byte();
    static constexpr ConnectionType TYPES[] = {ConnectionType::INBOUND,     ConnectionType::OUTBOUND_FULL_RELAY,
                                               ConnectionType::MANUAL,      ConnectionType::BLOCK_RELAY,
                                               ConnectionType::ADDR_FETCH,  ConnectionType::FEELER};
    const ConnectionType type = TYPES[(flags & 7) % std::size(TYPES)];
    const uint8_t local[4] = {127, 0, 0, 1}, public_ip[4] = {1, 2, 3, 4};
    const Service addr(NetAddr::FromIPv4((flags & 8) ? local : public_ip), 8333);
    {
        Node node(/*id=*/0, /*fd=*/-1, addr, Service{}, type, "", w.Magic(), GetTime());
        {
            // No socket: what the peer manager sends is counted and dropped.
            std::lock_guard lock(node.m_send_mutex);
            node.m_socket_closed = true;
        }
        w.peerman->InitializeNode(node);
        if (flags & 0x10) {
            Deliver(w, node, msgtype::VERSION, OurVersion(GetTime()));
            if (flags & 0x20) {
                Deliver(w, node, msgtype::WTXIDRELAY, {});
                Deliver(w, node, msgtype::SENDADDRV2, {});
            }
            Deliver(w, node, msgtype::VERACK, {});
        }
        const std::vector<std::string>& types = AllMessageTypes();
        for (int n = 0; n < MAX_MESSAGES && !in.empty() && !node.disconnect; ++n) {
            const uint8_t selector = in.Byte();
            std::string command;
            if (selector < types.size() * 7) {
                command = types[selector % types.size()];
            } else {
                const ByteSpan raw = in.Take(selector % 13);
                command.assign(raw.begin(), raw.end());
            }
            const ByteSpan payload = in.Take(in.U16());
            Deliver(w, node, command, payload);
            SetMockTime(GetTime() + in.Byte());
        }
        w.peerman->FinalizeNode(node);
    }
    SetMockTime(0);
    w.ResetIfChanged();
}
