#include "cli/netinfo.h"

#include "config/cairn-config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <tuple>

namespace cairn {

namespace {

/** getpeerinfo's network names, and the short names of the table. The
 *  first and last are never "reachable": they are shown only when a peer uses them. */
constexpr std::array<const char*, 7> NETWORKS{"not_publicly_routable", "ipv4", "ipv6", "onion", "i2p", "cjdns",
                                              "internal"};
constexpr std::array<const char*, 7> NETWORK_SHORT_NAMES{"npr", "ipv4", "ipv6", "onion", "i2p", "cjdns", "int"};
constexpr std::array<size_t, 2> UNREACHABLE_NETWORK_IDS{0, 6};

int NetworkId(const std::string& name)
{
    for (size_t i = 0; i < NETWORKS.size(); ++i) {
        if (name == NETWORKS[i]) return int(i);
    }
    return -1;
}

/** printf into a std::string. */
template <typename... Args>
std::string Format(const char* fmt, Args... args)
{
    const int n = std::snprintf(nullptr, 0, fmt, args...);
    std::string out(size_t(std::max(n, 0)), '\0');
    std::snprintf(out.data(), out.size() + 1, fmt, args...);
    return out;
}

int64_t Int(const UniValue& v, int64_t fallback = 0)
{
    return v.isNum() ? v.get_int64() : fallback;
}

std::string Str(const UniValue& v)
{
    return v.isStr() ? v.get_str() : std::string();
}

std::string ChainSuffix(ChainType chain)
{
    switch (chain) {
    case ChainType::MAIN: return "";
    case ChainType::TESTNET: return " testnet";
    case ChainType::TESTNET4: return " testnet4";
    case ChainType::SIGNET: return " signet";
    case ChainType::REGTEST: return " regtest";
    }
    return "";
}

std::string PingMs(double seconds)
{
    if (seconds < 0) return "";
    const double ms = std::round(1000 * seconds);
    return ms > 999999 ? "-" : std::to_string(int64_t(ms));
}

std::string ConnectionType(const std::string& type)
{
    if (type == "outbound-full-relay") return "full";
    if (type == "block-relay-only") return "block";
    if (type == "manual" || type == "feeler") return type;
    if (type == "addr-fetch") return "addr";
    return "";
}

/** One letter per service: NETWORK_LIMITED is "l", P2P_V2 "2", the others their initial. */
std::string ServiceLetters(const UniValue& services)
{
    std::string out;
    if (!services.isArray()) return out;
    for (const UniValue& s : services.getValues()) {
        const std::string name = Str(s);
        if (name.empty()) continue;
        out += name == "NETWORK_LIMITED" ? 'l' : name == "P2P_V2" ? '2' : char(std::tolower(name[0]));
    }
    return out;
}

struct Peer {
    std::string addr, sub_version, conn_type, network, age, services, transport;
    double min_ping{-1}, ping{-1};
    int64_t addr_processed{0}, addr_rate_limited{0}, last_block{0}, last_recv{0}, last_send{0}, last_txn{0};
    int64_t id{0}, mapped_as{0}, version{0};
    bool addr_relay{false}, hb_from{false}, hb_to{false}, outbound{false}, tx_relay{true};
    bool operator<(const Peer& o) const { return std::tie(outbound, min_ping) < std::tie(o.outbound, o.min_ping); }
};

} // namespace

std::string NetinfoHelp()
{
    std::string h =
        "-netinfo (level [outonly]) | help\n\n"
        "A dashboard of the node's peer connections, from getpeerinfo and getnetworkinfo.\n"
        "It is meant for people, not scripts: its layout may change.\n"
        "A level from 0 to 4 chooses the peers listing; larger values up to 255 count as 4.\n"
        "With a level, \"outonly\" (or \"o\") lists outbound peers only.\n"
        "\"help\" (or \"h\") prints this text. Arguments after the first two are ignored.\n"
        "Tip: run it under watch(1) for a live view (see the examples).\n\n"
        "Arguments:\n"
        "1. level (integer 0-4, optional)  The detail of the dashboard (default 0):\n"
        "                                  0 - peer counts per reachable network, block-relay and manual peers,\n"
        "                                      and the local addresses and ports\n"
        "                                  1 - as 0, after a peers listing without address and version columns\n"
        "                                  2 - as 1 with an address column\n"
        "                                  3 - as 1 with a version column\n"
        "                                  4 - as 1 with address and version columns\n"
        "2. outonly (\"outonly\" or \"o\", optional) List outbound peers only (with a level).\n\n"
        "Columns of the peers listing (sorted by direction, then minimum ping):\n"
        "  <->      direction: \"in\" (the peer connected to us) or \"out\"\n"
        "  type     full, block (block relay only), manual, feeler or addr (address fetch)\n"
        "  net      network of the connection (ipv4, ipv6, onion, i2p, cjdns, npr: not publicly routable)\n"
        "  serv     services: n network, b bloom, w witness, c compact filters, l network limited, 2 P2P v2\n"
        "  v        transport protocol version\n"
        "  mping    minimum ping (ms)          ping  last ping (ms)\n"
        "  send     seconds since the last message sent        recv  ... received\n"
        "  txn      minutes since the last new transaction from the peer (\"*\": no tx relay to it)\n"
        "  blk      minutes since the last new block from the peer\n"
        "  hb       BIP152 high-bandwidth: \".\" we chose the peer, \"*\" the peer chose us\n"
        "  addrp    addresses processed (\".\": no address relay)    addrl  addresses rate-limited\n"
        "  age      minutes connected    asmap  mapped AS number (with -asmap)\n"
        "  id       peer id    address  address and port    version  version and subversion\n\n"
        "Examples:\n\n"
        "> cairn-cli -netinfo\n"
        "> cairn-cli -netinfo 1\n"
        "> cairn-cli -netinfo 4 outonly\n"
        "> watch --interval 1 --no-title cairn-cli -netinfo 4\n"
        "> cairn-cli -netinfo help";
    return h;
}

UniValue NetinfoRequestHandler::PrepareRequest(const std::string&, const std::vector<std::string>& args)
{
    if (!args.empty()) {
        const std::string& level = args.at(0);
        unsigned n = 0;
        const auto [ptr, ec] = std::from_chars(level.data(), level.data() + level.size(), n);
        if (ec != std::errc{} || ptr != level.data() + level.size() || level.empty() || n > 255) {
            throw std::runtime_error("invalid -netinfo level argument: " + level +
                                     "\nFor more information, run: cairn-cli -netinfo help");
        }
        m_level = uint8_t(std::min<unsigned>(n, NETINFO_MAX_LEVEL));
        if (args.size() > 1) {
            const std::string& s = args.at(1);
            if (n && (s == "o" || s == "outonly")) {
                m_outbound_only = true;
            } else if (n) {
                throw std::runtime_error("invalid -netinfo outonly argument: " + s +
                                         "\nFor more information, run: cairn-cli -netinfo help");
            } else {
                throw std::runtime_error("invalid -netinfo outonly argument: " + s +
                                         "\nThe outonly argument is only valid for a level greater than 0 (the first "
                                         "argument). For more information, run: cairn-cli -netinfo help");
            }
        }
    }
    UniValue batch(UniValue::VARR);
    batch.push_back(RequestObj("getpeerinfo", UniValue(), ID_PEERINFO));
    batch.push_back(RequestObj("getnetworkinfo", UniValue(), ID_NETWORKINFO));
    return batch;
}

UniValue NetinfoRequestHandler::ProcessReply(const UniValue& batch_in)
{
    const std::vector<UniValue> batch = ProcessBatchReply(batch_in);
    if (batch.size() <= size_t(ID_NETWORKINFO)) throw std::runtime_error("Batch member id is larger than batch size");
    if (!find_value(batch[ID_PEERINFO], "error").isNull()) return batch[ID_PEERINFO];
    if (!find_value(batch[ID_NETWORKINFO], "error").isNull()) return batch[ID_NETWORKINFO];
    const UniValue& peerinfo = find_value(batch[ID_PEERINFO], "result");
    const UniValue& networkinfo = find_value(batch[ID_NETWORKINFO], "result");

    const bool details = m_level > 0;
    const bool show_address = m_level == 2 || m_level == 4;
    const bool show_version = m_level == 3 || m_level == 4;
    const int64_t now = int64_t(std::time(nullptr));

    // counts[in/out/total][network id, or NETWORKS.size() for all networks]
    std::array<std::array<int, NETWORKS.size() + 1>, 3> counts{};
    int block_relay = 0;
    int manual = 0;
    std::vector<Peer> peers;
    size_t w_addr = 0, w_addrp = 5, w_addrl = 6, w_age = 5, w_id = 2, w_serv = 6;
    bool asmap = false;
    if (peerinfo.isArray()) {
        for (const UniValue& p : peerinfo.getValues()) {
            const int net = NetworkId(Str(p["network"]));
            if (net < 0) continue;
            const bool outbound = !p["inbound"].isTrue();
            const std::string conn_type = Str(p["connection_type"]);
            ++counts[outbound][size_t(net)];
            ++counts[outbound][NETWORKS.size()];
            ++counts[2][size_t(net)];
            ++counts[2][NETWORKS.size()];
            if (conn_type == "block-relay-only") ++block_relay;
            if (conn_type == "manual") ++manual;
            if (m_outbound_only && !outbound) continue;
            if (!details) continue;
            Peer peer;
            peer.addr = Str(p["addr"]);
            peer.sub_version = Str(p["subver"]);
            peer.conn_type = conn_type;
            peer.network = NETWORK_SHORT_NAMES[size_t(net)];
            const int64_t conntime = Int(p["conntime"]);
            peer.age = conntime == 0 ? "" : std::to_string((now - conntime) / 60);
            peer.services = ServiceLetters(p["servicesnames"]);
            peer.transport = p["transport_protocol_type"].isNull() ? "v1" : Str(p["transport_protocol_type"]);
            peer.min_ping = p["minping"].isNum() ? p["minping"].get_real() : -1;
            peer.ping = p["pingtime"].isNum() ? p["pingtime"].get_real() : -1;
            peer.addr_processed = Int(p["addr_processed"]);
            peer.addr_rate_limited = Int(p["addr_rate_limited"]);
            peer.last_block = Int(p["last_block"]);
            peer.last_recv = Int(p["lastrecv"]);
            peer.last_send = Int(p["lastsend"]);
            peer.last_txn = Int(p["last_transaction"]);
            peer.id = Int(p["id"]);
            peer.mapped_as = Int(p["mapped_as"]);
            peer.version = Int(p["version"]);
            peer.addr_relay = p["addr_relay_enabled"].isTrue();
            peer.hb_from = p["bip152_hb_from"].isTrue();
            peer.hb_to = p["bip152_hb_to"].isTrue();
            peer.outbound = outbound;
            peer.tx_relay = p["relaytxes"].isNull() || p["relaytxes"].isTrue();
            w_addr = std::max(peer.addr.size() + 1, w_addr);
            w_addrp = std::max(std::to_string(peer.addr_processed).size(), w_addrp);
            w_addrl = std::max(std::to_string(peer.addr_rate_limited).size(), w_addrl);
            w_age = std::max(peer.age.size(), w_age);
            w_id = std::max(std::to_string(peer.id).size(), w_id);
            w_serv = std::max(peer.services.size(), w_serv);
            asmap |= peer.mapped_as != 0;
            peers.push_back(std::move(peer));
        }
    }

    std::string out = Format("Cairn client v%s%s - server %lld%s\n\n", PACKAGE_VERSION, ChainSuffix(m_chain).c_str(),
                             (long long)Int(networkinfo["protocolversion"]), Str(networkinfo["subversion"]).c_str());

    if (details && !peers.empty()) {
        std::sort(peers.begin(), peers.end());
        out += Format("<->   type   net %*s  v  mping   ping send recv  txn  blk  hb %*s%*s%*s ", int(w_serv), "serv",
                      int(w_addrp), "addrp", int(w_addrl), "addrl", int(w_age), "age");
        if (asmap) out += " asmap ";
        out += Format("%*s %-*s%s\n", int(w_id), "id", show_address ? int(w_addr) : 0, show_address ? "address" : "",
                      show_version ? "version" : "");
        auto num = [](int64_t v) { return std::to_string(v); };
        for (const Peer& peer : peers) {
            const std::string version = std::to_string(peer.version) + peer.sub_version;
            const char transport = peer.transport.size() == 2 && peer.transport[0] == 'v' ? peer.transport[1] : ' ';
            const std::string txn = peer.last_txn ? num((now - peer.last_txn) / 60) : peer.tx_relay ? "" : "*";
            const std::string hb = std::string(peer.hb_to ? "." : " ") + (peer.hb_from ? "*" : " ");
            const std::string addrp = peer.addr_processed ? num(peer.addr_processed) : peer.addr_relay ? "" : ".";
            out += Format("%3s %6s %5s %*s %2c%7s%7s%5s%5s%5s%5s  %2s %*s%*s%*s%*s %*lld %-*s%s\n",
                          peer.outbound ? "out" : "in", ConnectionType(peer.conn_type).c_str(), peer.network.c_str(),
                          int(w_serv), peer.services.c_str(), transport, PingMs(peer.min_ping).c_str(),
                          PingMs(peer.ping).c_str(), peer.last_send ? num(now - peer.last_send).c_str() : "",
                          peer.last_recv ? num(now - peer.last_recv).c_str() : "", txn.c_str(),
                          peer.last_block ? num((now - peer.last_block) / 60).c_str() : "", hb.c_str(), int(w_addrp),
                          addrp.c_str(), int(w_addrl), peer.addr_rate_limited ? num(peer.addr_rate_limited).c_str() : "",
                          int(w_age), peer.age.c_str(), asmap ? 7 : 0,
                          asmap && peer.mapped_as ? num(peer.mapped_as).c_str() : "", int(w_id), (long long)peer.id,
                          show_address ? int(w_addr) : 0, show_address ? peer.addr.c_str() : "",
                          show_version && version != "0" ? version.c_str() : "");
        }
        out += Format("                %*s         ms     ms  sec  sec  min  min                %*s\n\n", int(w_serv), "",
                      int(w_age), "min");
    }

    // Peer counts by network: the reachable ones, then unroutable/internal ones in use.
    out += "     ";
    std::vector<size_t> columns;
    if (networkinfo["networks"].isArray()) {
        for (const UniValue& network : networkinfo["networks"].getValues()) {
            if (!network["reachable"].isTrue()) continue;
            const int id = NetworkId(Str(network["name"]));
            if (id < 0) continue;
            out += Format("%8s", Str(network["name"]).c_str());
            columns.push_back(size_t(id));
        }
    }
    for (const size_t id : UNREACHABLE_NETWORK_IDS) {
        if (counts[2][id] == 0) continue;
        out += Format("%8s", NETWORK_SHORT_NAMES[id]);
        columns.push_back(id);
    }
    out += "   total   block";
    if (manual) out += "  manual";
    const std::array<const char*, 3> rows{"in", "out", "total"};
    for (size_t i = 0; i < rows.size(); ++i) {
        out += Format("\n%-5s", rows[i]);
        for (const size_t id : columns) out += Format("%8i", counts[i][id]);
        out += Format("   %5i", counts[i][NETWORKS.size()]);
        if (i == 1) {
            out += Format("   %5i", block_relay);
            if (manual) out += Format("   %5i", manual);
        }
    }

    out += "\n\nLocal addresses";
    const UniValue& local = networkinfo["localaddresses"];
    if (!local.isArray() || local.empty()) {
        out += ": n/a\n";
    } else {
        size_t width = 0;
        for (const UniValue& a : local.getValues()) width = std::max(Str(a["address"]).size() + 1, width);
        for (const UniValue& a : local.getValues()) {
            out += Format("\n%-*s    port %6lld    score %6lld", int(width), Str(a["address"]).c_str(),
                          (long long)Int(a["port"]), (long long)Int(a["score"]));
        }
    }
    return ClientReplyObj(UniValue(out), UniValue(), 1);
}

} // namespace cairn
