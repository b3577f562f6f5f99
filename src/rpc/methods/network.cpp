// Network RPCs (help category "network"): the connection manager's and the
// peer manager's state, manual connections, bans and the address manager.
// Field names, order and errors are Bitcoin Core's.
#include "config/cairn-config.h"
#include "mempool/tx_mempool.h"
#include "net/addrman.h"
#include "net/banman.h"
#include "net/connman.h"
#include "net/local_addresses.h"
#include "net/netgroup.h"
#include "net/peer_manager.h"
#include "net/proxy.h"
#include "net/subnet.h"
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/util.h"
#include "util/args.h"
#include "util/time.h"

#include <algorithm>
#include <fmt/format.h>

namespace cairn {

namespace {

using RT = RpcResult::Type;
using AT = RpcArg::Type;

/** Core's relay fee defaults (sat/kvB) until policy options exist. */

ConnMan& RequireConnMan(const RpcContext& ctx)
{
    if (!ctx.connman || !ctx.peerman) {
        throw RpcError(RPC_CLIENT_P2P_DISABLED, "Error: Peer-to-peer functionality missing or disabled");
    }
    return *ctx.connman;
}

AddrMan& RequireAddrMan(const RpcContext& ctx)
{
    if (!ctx.addrman) {
        throw RpcError(RPC_CLIENT_P2P_DISABLED, "Error: Address manager functionality missing or disabled");
    }
    return *ctx.addrman;
}

BanMan& RequireBanMan(const RpcContext& ctx)
{
    if (!ctx.banman) throw RpcError(RPC_DATABASE_ERROR, "Error: Ban database not loaded");
    return *ctx.banman;
}

/** "ipv4, ipv6, onion, i2p, cjdns" (Core's GetNetworkNames). */
const std::string NETWORK_NAMES = "ipv4, ipv6, onion, i2p, cjdns";

UniValue ServicesNames(uint64_t services)
{
    UniValue out(UniValue::VARR);
    for (const std::string& n : ServiceFlagsToNames(services)) out.push_back(n);
    return out;
}

/** Seconds as Core prints a SecondsDouble (a JSON number). */
UniValue Seconds(int64_t micros)
{
    UniValue v;
    v.setNumStr(fmt::format("{:.6f}", double(micros) / 1e6));
    return v;
}

/** getnetworkinfo's "version": the Bitcoin Core release whose interface Cairn follows (CLIENT_VERSION
 *  form, 10000 * major + 100 * minor + patch). Clients gate features on this number (electrs refuses
 *  anything below 0.21, 210000), so it names the interface; Cairn's own version is in "subversion". */
constexpr int INTERFACE_CLIENT_VERSION{300000};

RpcMethod GetConnectionCount(RpcContext& ctx)
{
    return RpcMethod{
        "getconnectioncount",
        "Returns the number of connections to other nodes.",
        {},
        RpcResult{RT::NUM, "", "The connection count"},
        RpcExamples{HelpExampleCli("getconnectioncount", "") + HelpExampleRpc("getconnectioncount", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            return uint64_t(RequireConnMan(ctx).GetNodeCount(ConnMan::Direction::ALL));
        }};
}

RpcMethod Ping(RpcContext& ctx)
{
    return RpcMethod{
        "ping",
        "Requests that a ping be sent to all other nodes, to measure ping time.\n"
        "Results are provided in getpeerinfo, pingtime and pingwait fields are decimal seconds.\n"
        "Ping command is handled in queue with all other commands, so it measures processing backlog, not just "
        "network ping.",
        {},
        RpcResult{RT::NONE, "", ""},
        RpcExamples{HelpExampleCli("ping", "") + HelpExampleRpc("ping", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            RequireConnMan(ctx);
            ctx.peerman->SendPings();
            return UniValue();
        }};
}

RpcMethod GetPeerInfo(RpcContext& ctx)
{
    return RpcMethod{
        "getpeerinfo",
        "Returns data about each connected network peer as a json array of objects.",
        {},
        RpcResult{RT::ARR, "", "",
                  {{RT::OBJ, "", "",
                    {{RT::NUM, "id", "Peer index"},
                     {RT::STR, "addr", "(host:port) The IP address and port of the peer"},
                     {RT::STR, "addrbind", /*optional=*/true, "(ip:port) Bind address of the connection to the peer"},
                     {RT::STR, "addrlocal", /*optional=*/true, "(ip:port) Local address as reported by the peer"},
                     {RT::STR, "network", "Network (ipv4, ipv6, onion, i2p, cjdns, not_publicly_routable)"},
                     {RT::STR_HEX, "services", "The services offered"},
                     {RT::ARR, "servicesnames", "the services offered, in human-readable form",
                      {{RT::STR, "SERVICE_NAME", "the service name if it is recognised"}}},
                     {RT::BOOL, "relaytxes", "Whether we relay transactions to this peer"},
                     {RT::NUM_TIME, "lastsend", "The UNIX epoch time of the last send"},
                     {RT::NUM_TIME, "lastrecv", "The UNIX epoch time of the last receive"},
                     {RT::NUM_TIME, "last_transaction", "The UNIX epoch time of the last valid transaction received from this peer"},
                     {RT::NUM_TIME, "last_block", "The UNIX epoch time of the last block received from this peer"},
                     {RT::NUM, "bytessent", "The total bytes sent"},
                     {RT::NUM, "bytesrecv", "The total bytes received"},
                     {RT::NUM_TIME, "conntime", "The UNIX epoch time of the connection"},
                     {RT::NUM, "timeoffset", "The time offset in seconds"},
                     {RT::NUM, "pingtime", /*optional=*/true, "The last ping time in seconds, if any"},
                     {RT::NUM, "minping", /*optional=*/true, "The minimum observed ping time in seconds, if any"},
                     {RT::NUM, "pingwait", /*optional=*/true, "The duration in seconds of an outstanding ping (if non-zero)"},
                     {RT::NUM, "version", "The peer version, such as 70001"},
                     {RT::STR, "subver", "The string version"},
                     {RT::BOOL, "inbound", "Inbound (true) or Outbound (false)"},
                     {RT::BOOL, "bip152_hb_to", "Whether we selected peer as (compact blocks) high-bandwidth peer"},
                     {RT::BOOL, "bip152_hb_from", "Whether peer selected us as (compact blocks) high-bandwidth peer"},
                     {RT::NUM, "startingheight", "The starting height (block) of the peer"},
                     {RT::NUM, "presynced_headers", "The current height of header pre-synchronization with this peer, or -1 if no low-work sync is in progress"},
                     {RT::NUM, "synced_headers", "The last header we have in common with this peer"},
                     {RT::NUM, "synced_blocks", "The last block we have in common with this peer"},
                     {RT::ARR, "inflight", "", {{RT::NUM, "n", "The heights of blocks we're currently asking from this peer"}}},
                     {RT::BOOL, "addr_relay_enabled", "Whether we participate in address relay with this peer"},
                     {RT::NUM, "addr_processed", "The total number of addresses processed, excluding those dropped due to rate limiting"},
                     {RT::NUM, "addr_rate_limited", "The total number of addresses dropped due to rate limiting"},
                     {RT::ARR, "permissions", "Any special permissions that have been granted to this peer",
                      {{RT::STR, "permission_type", ""}}},
                     {RT::NUM, "minfeefilter", "The minimum fee rate for transactions this peer accepts"},
                     {RT::OBJ_DYN, "bytessent_per_msg", "", {{RT::NUM, "msg", "The total bytes sent aggregated by message type\nWhen a message type is not listed in this json object, the bytes sent are 0.\nOnly known message types can appear as keys in the object."}}},
                     {RT::OBJ_DYN, "bytesrecv_per_msg", "", {{RT::NUM, "msg", "The total bytes received aggregated by message type\nWhen a message type is not listed in this json object, the bytes received are 0.\nOnly known message types can appear as keys in the object and all bytes received\nof unknown message types are listed under '*other*'."}}},
                     {RT::STR, "connection_type", "Type of connection"},
                     {RT::STR, "transport_protocol_type", "Type of transport protocol"},
                     {RT::STR, "session_id", "The session ID for this connection, or \"\" if there is none (\"v2\" transport protocol only)."}}}}},
        RpcExamples{HelpExampleCli("getpeerinfo", "") + HelpExampleRpc("getpeerinfo", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            ConnMan& connman = RequireConnMan(ctx);
            UniValue out(UniValue::VARR);
            for (const auto& node : connman.GetNodes()) {
                if (node->disconnect) continue;
                const std::optional<PeerStats> st = ctx.peerman->GetPeerStats(node->id);
                const PeerStats s = st.value_or(PeerStats{});
                UniValue o(UniValue::VOBJ);
                o.pushKV("id", node->id);
                o.pushKV("addr", node->addr_name);
                if (node->addr_bind.IsValid()) o.pushKV("addrbind", node->addr_bind.ToStringAddrPort());
                if (s.addr_local) o.pushKV("addrlocal", s.addr_local->ToStringAddrPort());
                o.pushKV("network", node->addr.NetworkName());
                o.pushKV("services", fmt::format("{:016x}", s.services));
                o.pushKV("servicesnames", ServicesNames(s.services));
                o.pushKV("relaytxes", s.relay_txs);
                o.pushKV("lastsend", node->last_send.load());
                o.pushKV("lastrecv", node->last_recv.load());
                o.pushKV("last_transaction", s.last_tx_time);
                o.pushKV("last_block", s.last_block_time);
                o.pushKV("bytessent", node->bytes_sent.load());
                o.pushKV("bytesrecv", node->bytes_recv.load());
                o.pushKV("conntime", node->connected_time);
                o.pushKV("timeoffset", s.time_offset);
                if (s.last_ping_us && *s.last_ping_us > 0) o.pushKV("pingtime", Seconds(*s.last_ping_us));
                if (s.min_ping_us) o.pushKV("minping", Seconds(*s.min_ping_us));
                if (s.ping_wait_us && *s.ping_wait_us > 0) o.pushKV("pingwait", Seconds(*s.ping_wait_us));
                o.pushKV("version", s.version);
                o.pushKV("subver", s.subver);
                o.pushKV("inbound", node->IsInbound());
                o.pushKV("bip152_hb_to", s.bip152_hb_to);
                o.pushKV("bip152_hb_from", s.bip152_hb_from);
                if (st) {
                    o.pushKV("startingheight", s.start_height);
                    o.pushKV("presynced_headers", s.presynced_headers);
                    o.pushKV("synced_headers", s.synced_headers);
                    o.pushKV("synced_blocks", s.synced_blocks);
                    UniValue inflight(UniValue::VARR);
                    for (int h : s.inflight) inflight.push_back(h);
                    o.pushKV("inflight", inflight);
                    o.pushKV("addr_relay_enabled", s.addr_relay_enabled);
                    o.pushKV("addr_processed", s.addr_processed);
                    o.pushKV("addr_rate_limited", s.addr_rate_limited);
                }
                UniValue permissions(UniValue::VARR);
                for (const std::string& p : PermissionsToStrings(node->permission_flags)) permissions.push_back(p);
                o.pushKV("permissions", permissions);
                o.pushKV("minfeefilter", ValueFromAmount(s.min_fee_filter));
                UniValue sent(UniValue::VOBJ), recv(UniValue::VOBJ);
                {
                    std::lock_guard lock(node->m_stats_mutex);
                    for (const auto& [msg, bytes] : node->sent_per_msg) {
                        if (bytes > 0) sent.pushKV(msg, bytes);
                    }
                    for (const auto& [msg, bytes] : node->recv_per_msg) {
                        if (bytes > 0) recv.pushKV(msg, bytes);
                    }
                }
                o.pushKV("bytessent_per_msg", sent);
                o.pushKV("bytesrecv_per_msg", recv);
                o.pushKV("connection_type", ConnectionTypeAsString(node->conn_type));
                o.pushKV("transport_protocol_type", "v1");
                o.pushKV("session_id", "");
                out.push_back(o);
            }
            return out;
        }};
}

RpcMethod AddNode(RpcContext& ctx)
{
    return RpcMethod{
        "addnode",
        "Attempts to add or remove a node from the addnode list.\n"
        "Or try a connection to a node once.\n"
        "Nodes added using addnode (or -connect) are protected from DoS disconnection and are not required to be\n"
        "full nodes/support SegWit as other outbound peers are (though such peers will not be synced from).\n"
        "Addnode connections are limited to 8 at a time and are counted separately from the -maxconnections limit.",
        {{"node", AT::STR, RpcArg::Optional::NO, "The IP address/port of the peer to connect to"},
         {"command", AT::STR, RpcArg::Optional::NO,
          "'add' to add a node to the list, 'remove' to remove a node from the list, 'onetry' to try a connection "
          "to the node once"},
         {"v2transport", AT::BOOL, RpcArg::DefaultHint{"set by -v2transport"},
          "Attempt to connect using BIP324 v2 transport protocol (ignored for 'remove' command)"}},
        RpcResult{RT::NONE, "", ""},
        RpcExamples{HelpExampleCli("addnode", "\"192.168.0.6:8333\" \"onetry\" true") +
                    HelpExampleRpc("addnode", "\"192.168.0.6:8333\", \"onetry\" true")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& req) -> UniValue {
            RpcArgs args(self, req);
            const std::string command = args.GetStr(1);
            if (command != "onetry" && command != "add" && command != "remove") {
                throw std::runtime_error(self.ToString());
            }
            ConnMan& connman = RequireConnMan(ctx);
            const std::string node = args.GetStr(0);
            if (args.MaybeBool(2).value_or(false) && command != "remove") {
                throw RpcError(RPC_INVALID_PARAMETER, "Error: v2transport requested but not enabled (see -v2transport)");
            }
            if (command == "onetry") {
                connman.OpenConnection(node, ConnectionType::MANUAL);
                return UniValue();
            }
            if (command == "add") {
                if (!connman.AddNode(node)) throw RpcError(RPC_CLIENT_NODE_ALREADY_ADDED, "Error: Node already added");
            } else if (!connman.RemoveAddedNode(node)) {
                throw RpcError(RPC_CLIENT_NODE_NOT_ADDED,
                               "Error: Node could not be removed. It has not been added previously.");
            }
            return UniValue();
        }};
}

RpcMethod AddConnection(RpcContext& ctx)
{
    return RpcMethod{
        "addconnection",
        "\nOpen an outbound connection to a specified node. This RPC is for testing only.\n",
        {{"address", AT::STR, RpcArg::Optional::NO, "The IP address and port to attempt connecting to."},
         {"connection_type", AT::STR, RpcArg::Optional::NO,
          "Type of connection to open (\"outbound-full-relay\", \"block-relay-only\", \"addr-fetch\" or \"feeler\")."},
         {"v2transport", AT::BOOL, RpcArg::Optional::NO, "Attempt to connect using BIP324 v2 transport protocol"}},
        RpcResult{RT::OBJ, "", "",
                  {{RT::STR, "address", "Address of newly added connection."},
                   {RT::STR, "connection_type", "Type of connection opened."}}},
        RpcExamples{HelpExampleCli("addconnection", "\"192.168.0.6:8333\" \"outbound-full-relay\" true") +
                    HelpExampleRpc("addconnection", "\"192.168.0.6:8333\", \"outbound-full-relay\", true")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& req) -> UniValue {
            if (ctx.chain != ChainType::REGTEST) {
                throw std::runtime_error("addconnection is for regression testing (-regtest mode) only.");
            }
            RpcArgs args(self, req);
            const std::string address = args.GetStr(0);
            const std::string type_str = args.GetStr(1);
            const auto type = ConnectionTypeFromString(type_str);
            if (!type || *type == ConnectionType::INBOUND || *type == ConnectionType::MANUAL) {
                throw RpcError(RPC_INVALID_PARAMETER, self.ToString());
            }
            const bool v2 = args.GetBool(2);
            ConnMan& connman = RequireConnMan(ctx);
            if (v2 && !(connman.GetLocalServices() & NODE_P2P_V2)) {
                throw RpcError(RPC_INVALID_PARAMETER,
                               "Error: Adding v2transport connections requires -v2transport init flag to be set.");
            }
            if (!connman.AddConnection(address, *type)) {
                throw RpcError(RPC_CLIENT_NODE_CAPACITY_REACHED, "Error: Already at capacity for specified connection type.");
            }
            UniValue out(UniValue::VOBJ);
            out.pushKV("address", address);
            out.pushKV("connection_type", type_str);
            return out;
        }};
}

RpcMethod DisconnectNode(RpcContext& ctx)
{
    return RpcMethod{
        "disconnectnode",
        "Immediately disconnects from the specified peer node.\n"
        "\nStrictly one out of 'address' and 'nodeid' can be provided to identify the node.\n"
        "\nTo disconnect by nodeid, either set 'address' to the empty string, or call using the named 'nodeid' "
        "argument only.",
        {{"address", AT::STR, RpcArg::DefaultHint{"fallback to nodeid"}, "The IP address/port of the node"},
         {"nodeid", AT::NUM, RpcArg::DefaultHint{"fallback to address"},
          "The node ID (see getpeerinfo for node IDs)"}},
        RpcResult{RT::NONE, "", ""},
        RpcExamples{HelpExampleCli("disconnectnode", "\"192.168.0.6:8333\"") +
                    HelpExampleCli("disconnectnode", "\"\" 1") +
                    HelpExampleRpc("disconnectnode", "\"192.168.0.6:8333\"") +
                    HelpExampleRpc("disconnectnode", "\"\", 1")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& req) -> UniValue {
            ConnMan& connman = RequireConnMan(ctx);
            RpcArgs args(self, req);
            const UniValue& address = args.Get(0);
            const UniValue& id = args.Get(1);
            bool success;
            if (!address.isNull() && id.isNull()) {
                success = connman.DisconnectNode(address.get_str());
            } else if (!id.isNull() && (address.isNull() || (address.isStr() && address.get_str().empty()))) {
                success = connman.DisconnectNode(NodeId(args.GetInt<int64_t>(1)));
            } else {
                throw RpcError(RPC_INVALID_PARAMS, "Only one of address and nodeid should be provided.");
            }
            if (!success) throw RpcError(RPC_CLIENT_NODE_NOT_CONNECTED, "Node not found in connected nodes");
            return UniValue();
        }};
}

RpcMethod GetAddedNodeInfo(RpcContext& ctx)
{
    return RpcMethod{
        "getaddednodeinfo",
        "Returns information about the given added node, or all added nodes\n"
        "(note that onetry addnodes are not listed here)",
        {{"node", AT::STR, RpcArg::DefaultHint{"all nodes"},
          "If provided, return information about this specific node, otherwise all nodes are returned."}},
        RpcResult{RT::ARR, "", "",
                  {{RT::OBJ, "", "",
                    {{RT::STR, "addednode", "The node IP address or name (as provided to addnode)"},
                     {RT::BOOL, "connected", "If connected"},
                     {RT::ARR, "addresses", "Only when connected = true",
                      {{RT::OBJ, "", "",
                        {{RT::STR, "address", "The bitcoin server IP and port we're connected to"},
                         {RT::STR, "connected", "connection, inbound or outbound"}}}}}}}}},
        RpcExamples{HelpExampleCli("getaddednodeinfo", "\"192.168.0.201\"") +
                    HelpExampleRpc("getaddednodeinfo", "\"192.168.0.201\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& req) -> UniValue {
            ConnMan& connman = RequireConnMan(ctx);
            RpcArgs args(self, req);
            std::vector<AddedNodeInfo> infos = connman.GetAddedNodeInfo();
            if (auto only = args.MaybeStr(0)) {
                auto it = std::find_if(infos.begin(), infos.end(),
                                       [&](const AddedNodeInfo& i) { return i.added_node == *only; });
                if (it == infos.end()) throw RpcError(RPC_CLIENT_NODE_NOT_ADDED, "Error: Node has not been added.");
                infos = {*it};
            }
            UniValue out(UniValue::VARR);
            for (const AddedNodeInfo& info : infos) {
                UniValue o(UniValue::VOBJ);
                o.pushKV("addednode", info.added_node);
                o.pushKV("connected", info.connected);
                UniValue addresses(UniValue::VARR);
                if (info.connected) {
                    UniValue a(UniValue::VOBJ);
                    a.pushKV("address", info.resolved.ToStringAddrPort());
                    a.pushKV("connected", info.inbound ? "inbound" : "outbound");
                    addresses.push_back(a);
                }
                o.pushKV("addresses", addresses);
                out.push_back(o);
            }
            return out;
        }};
}

RpcMethod GetNetTotals(RpcContext& ctx)
{
    return RpcMethod{
        "getnettotals",
        "Returns information about network traffic, including bytes in, bytes out,\n"
        "and current system time.",
        {},
        RpcResult{RT::OBJ, "", "",
                  {{RT::NUM, "totalbytesrecv", "Total bytes received"},
                   {RT::NUM, "totalbytessent", "Total bytes sent"},
                   {RT::NUM_TIME, "timemillis", "Current system UNIX epoch time in milliseconds"},
                   {RT::OBJ, "uploadtarget", "",
                    {{RT::NUM, "timeframe", "Length of the measuring timeframe in seconds"},
                     {RT::NUM, "target", "Target in bytes"},
                     {RT::BOOL, "target_reached", "True if target is reached"},
                     {RT::BOOL, "serve_historical_blocks", "True if serving historical blocks"},
                     {RT::NUM, "bytes_left_in_cycle", "Bytes left in current time cycle"},
                     {RT::NUM, "time_left_in_cycle", "Seconds left in current time cycle"}}}}},
        RpcExamples{HelpExampleCli("getnettotals", "") + HelpExampleRpc("getnettotals", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            ConnMan& connman = RequireConnMan(ctx);
            UniValue out(UniValue::VOBJ);
            out.pushKV("totalbytesrecv", connman.GetTotalBytesRecv());
            out.pushKV("totalbytessent", connman.GetTotalBytesSent());
            out.pushKV("timemillis", GetTimeMicros() / 1000);
            UniValue target(UniValue::VOBJ);
            target.pushKV("timeframe", connman.GetMaxOutboundTimeframe());
            target.pushKV("target", connman.GetMaxOutboundTarget());
            target.pushKV("target_reached", connman.OutboundTargetReached(false));
            target.pushKV("serve_historical_blocks", !connman.OutboundTargetReached(true));
            target.pushKV("bytes_left_in_cycle", connman.GetOutboundTargetBytesLeft());
            target.pushKV("time_left_in_cycle", connman.GetMaxOutboundTimeLeftInCycle());
            out.pushKV("uploadtarget", target);
            return out;
        }};
}

RpcMethod GetNetworkInfo(RpcContext& ctx)
{
    return RpcMethod{
        "getnetworkinfo",
        "Returns an object containing various state info regarding P2P networking.",
        {},
        RpcResult{RT::OBJ, "", "",
                  {{RT::NUM, "version", "the server version"},
                   {RT::STR, "subversion", "the server subversion string"},
                   {RT::NUM, "protocolversion", "the protocol version"},
                   {RT::STR_HEX, "localservices", "the services we offer to the network"},
                   {RT::ARR, "localservicesnames", "the services we offer to the network, in human-readable form",
                    {{RT::STR, "SERVICE_NAME", "the service name"}}},
                   {RT::BOOL, "localrelay", "true if transaction relay is requested from peers"},
                   {RT::NUM, "timeoffset", "the time offset"},
                   {RT::NUM, "connections", "the total number of connections"},
                   {RT::NUM, "connections_in", "the number of inbound connections"},
                   {RT::NUM, "connections_out", "the number of outbound connections"},
                   {RT::BOOL, "networkactive", "whether p2p networking is enabled"},
                   {RT::ARR, "networks", "information per network",
                    {{RT::OBJ, "", "",
                      {{RT::STR, "name", "network (ipv4, ipv6, onion, i2p, cjdns)"},
                       {RT::BOOL, "limited", "is the network limited using -onlynet?"},
                       {RT::BOOL, "reachable", "is the network reachable?"},
                       {RT::STR, "proxy", "(\"host:port\") the proxy that is used for this network, or empty if none"},
                       {RT::BOOL, "proxy_randomize_credentials", "Whether randomized credentials are used"}}}}},
                   {RT::NUM, "relayfee", "minimum relay fee rate for transactions in BTC/kvB"},
                   {RT::NUM, "incrementalfee", "minimum fee rate increment for mempool limiting or replacement in BTC/kvB"},
                   {RT::ARR, "localaddresses", "list of local addresses",
                    {{RT::OBJ, "", "",
                      {{RT::STR, "address", "network address"},
                       {RT::NUM, "port", "network port"},
                       {RT::NUM, "score", "relative score"}}}}},
                   {RT::ARR, "warnings", "any network and blockchain warnings (run with `-deprecatedrpc=warnings` to return the latest warning as a single string)",
                    {{RT::STR, "", "warning"}}}}},
        RpcExamples{HelpExampleCli("getnetworkinfo", "") + HelpExampleRpc("getnetworkinfo", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            UniValue out(UniValue::VOBJ);
            out.pushKV("version", INTERFACE_CLIENT_VERSION);
            out.pushKV("subversion", ctx.peerman ? ctx.peerman->UserAgent() : std::string());
            out.pushKV("protocolversion", PROTOCOL_VERSION);
            const uint64_t services = ctx.connman ? ctx.connman->GetLocalServices() : 0;
            out.pushKV("localservices", fmt::format("{:016x}", services));
            out.pushKV("localservicesnames", ServicesNames(services));
            out.pushKV("localrelay", !(ctx.args && ctx.args->GetBoolArg("-blocksonly", false)));
            // The median offset of outbound peers' clocks (Core keeps the last 50).
            std::vector<int64_t> offsets;
            if (ctx.connman && ctx.peerman) {
                for (const auto& node : ctx.connman->GetNodes()) {
                    if (node->IsInbound()) continue;
                    if (auto s = ctx.peerman->GetPeerStats(node->id); s && s->successfully_connected) {
                        offsets.push_back(s->time_offset);
                    }
                }
            }
            int64_t median = 0;
            if (offsets.size() >= 5) { // Core needs a few samples before trusting the median
                std::sort(offsets.begin(), offsets.end());
                median = offsets[offsets.size() / 2];
            }
            out.pushKV("timeoffset", median);
            if (ctx.connman) {
                out.pushKV("networkactive", ctx.connman->GetNetworkActive());
                out.pushKV("connections", uint64_t(ctx.connman->GetNodeCount(ConnMan::Direction::ALL)));
                out.pushKV("connections_in", uint64_t(ctx.connman->GetNodeCount(ConnMan::Direction::IN)));
                out.pushKV("connections_out", uint64_t(ctx.connman->GetNodeCount(ConnMan::Direction::OUT)));
            }
            // Core's GetNetworksInfo: reachability (-onlynet, the proxies) and each network's proxy.
            UniValue networks(UniValue::VARR);
            for (Network net : {Network::IPV4, Network::IPV6, Network::ONION, Network::I2P, Network::CJDNS}) {
                const bool reachable = IsReachableNet(net);
                const std::optional<Proxy> proxy = ctx.connman ? ctx.connman->GetProxies().ForNetwork(net) : std::nullopt;
                UniValue n(UniValue::VOBJ);
                n.pushKV("name", NetworkToName(net));
                n.pushKV("limited", !reachable);
                n.pushKV("reachable", reachable);
                n.pushKV("proxy", proxy ? proxy->ToString() : std::string());
                n.pushKV("proxy_randomize_credentials", proxy ? proxy->randomize_credentials : false);
                networks.push_back(n);
            }
            out.pushKV("networks", networks);
            // The pool's configured rates (-minrelaytxfee, -incrementalrelayfee), else Core's defaults.
            const MempoolOptions pool_opts = ctx.mempool ? ctx.mempool->Options() : MempoolOptions{};
            out.pushKV("relayfee", ValueFromAmount(pool_opts.min_relay_feerate.GetFeePerK()));
            out.pushKV("incrementalfee", ValueFromAmount(pool_opts.incremental_relay_feerate.GetFeePerK()));
            UniValue local(UniValue::VARR);
            if (ctx.connman && ctx.connman->GetLocalAddresses()) {
                for (const LocalAddressInfo& info : ctx.connman->GetLocalAddresses()->GetAll()) {
                    UniValue o(UniValue::VOBJ);
                    o.pushKV("address", info.addr.ToString());
                    o.pushKV("port", info.port);
                    o.pushKV("score", info.score);
                    local.push_back(o);
                }
            }
            out.pushKV("localaddresses", local);
            out.pushKV("warnings", UniValue(UniValue::VARR));
            return out;
        }};
}

RpcMethod SetNetworkActive(RpcContext& ctx)
{
    return RpcMethod{
        "setnetworkactive",
        "Disable/enable all p2p network activity.",
        {{"state", AT::BOOL, RpcArg::Optional::NO, "true to enable networking, false to disable"}},
        RpcResult{RT::BOOL, "", "The value that was passed in"},
        RpcExamples{""},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& req) -> UniValue {
            RpcArgs args(self, req);
            ConnMan& connman = RequireConnMan(ctx);
            connman.SetNetworkActive(args.GetBool(0));
            return connman.GetNetworkActive();
        }};
}

RpcMethod SetBan(RpcContext& ctx)
{
    return RpcMethod{
        "setban",
        "Attempts to add or remove an IP/Subnet from the banned list.\n",
        {{"subnet", AT::STR, RpcArg::Optional::NO,
          "The IP/Subnet (see getpeerinfo for nodes IP) with an optional netmask (default is /32 = single IP)"},
         {"command", AT::STR, RpcArg::Optional::NO,
          "'add' to add an IP/Subnet to the list, 'remove' to remove an IP/Subnet from the list"},
         {"bantime", AT::NUM, RpcArg::Default{0},
          "time in seconds how long (or until when if [absolute] is set) the IP is banned (0 or empty means using "
          "the default time of 24h which can also be overwritten by the -bantime startup argument)"},
         {"absolute", AT::BOOL, RpcArg::Default{false},
          "If set, the bantime must be an absolute timestamp expressed in UNIX epoch time"}},
        RpcResult{RT::NONE, "", ""},
        RpcExamples{HelpExampleCli("setban", "\"192.168.0.6\" \"add\" 86400") +
                    HelpExampleCli("setban", "\"192.168.0.0/24\" \"add\"") +
                    HelpExampleRpc("setban", "\"192.168.0.6\", \"add\", 86400")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& req) -> UniValue {
            RpcArgs args(self, req);
            const std::string command = args.MaybeStr(1).value_or("");
            if (command != "add" && command != "remove") throw std::runtime_error(self.ToString());
            BanMan& banman = RequireBanMan(ctx);
            const std::string& text = args.GetStr(0);
            const bool is_subnet = text.find('/') != std::string::npos;
            SubNet subnet;
            std::optional<NetAddr> addr;
            if (is_subnet) {
                subnet = SubNet::Parse(text);
            } else {
                std::string_view host = text;
                if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
                addr = NetAddr::Parse(host);
                if (addr && !IsValidAddr(*addr)) addr.reset();
            }
            if (is_subnet ? !subnet.IsValid() : !addr) {
                throw RpcError(RPC_CLIENT_INVALID_IP_OR_SUBNET, "Error: Invalid IP/Subnet");
            }
            if (command == "add") {
                if (is_subnet ? banman.IsBanned(subnet) : banman.IsBanned(*addr)) {
                    throw RpcError(RPC_CLIENT_NODE_ALREADY_ADDED, "Error: IP/Subnet already banned");
                }
                const int64_t bantime = args.GetInt<int64_t>(2);
                const bool absolute = args.GetBool(3);
                if (absolute && bantime < GetTime()) {
                    throw RpcError(RPC_INVALID_PARAMETER, "Error: Absolute timestamp is in the past");
                }
                if (is_subnet) {
                    banman.Ban(subnet, bantime, absolute);
                    if (ctx.connman) ctx.connman->DisconnectNode(subnet);
                } else {
                    banman.Ban(*addr, bantime, absolute);
                    if (ctx.connman) ctx.connman->DisconnectNode(*addr);
                }
            } else if (!(is_subnet ? banman.Unban(subnet) : banman.Unban(*addr))) {
                throw RpcError(RPC_CLIENT_INVALID_IP_OR_SUBNET,
                               "Error: Unban failed. Requested address/subnet was not previously manually banned.");
            }
            return UniValue();
        }};
}

RpcMethod ListBanned(RpcContext& ctx)
{
    return RpcMethod{
        "listbanned",
        "List all manually banned IPs/Subnets.\n",
        {},
        RpcResult{RT::ARR, "", "",
                  {{RT::OBJ, "", "",
                    {{RT::STR, "address", "The IP/Subnet of the banned node"},
                     {RT::NUM_TIME, "ban_created", "The UNIX epoch time the ban was created"},
                     {RT::NUM_TIME, "banned_until", "The UNIX epoch time the ban expires"},
                     {RT::NUM_TIME, "ban_duration", "The ban duration, in seconds"},
                     {RT::NUM_TIME, "time_remaining", "The time remaining until the ban expires, in seconds"}}}}},
        RpcExamples{HelpExampleCli("listbanned", "") + HelpExampleRpc("listbanned", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            BanMan& banman = RequireBanMan(ctx);
            const BanMap bans = banman.GetBanned();
            const int64_t now = GetTime();
            UniValue out(UniValue::VARR);
            for (const auto& [subnet, entry] : bans) {
                UniValue rec(UniValue::VOBJ);
                rec.pushKV("address", subnet.ToString());
                rec.pushKV("ban_created", entry.create_time);
                rec.pushKV("banned_until", entry.ban_until);
                rec.pushKV("ban_duration", entry.ban_until - entry.create_time);
                rec.pushKV("time_remaining", entry.ban_until - now);
                out.push_back(rec);
            }
            return out;
        }};
}

RpcMethod ClearBanned(RpcContext& ctx)
{
    return RpcMethod{
        "clearbanned",
        "Clear all banned IPs.\n",
        {},
        RpcResult{RT::NONE, "", ""},
        RpcExamples{HelpExampleCli("clearbanned", "") + HelpExampleRpc("clearbanned", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            RequireBanMan(ctx).ClearBanned();
            return UniValue();
        }};
}

RpcMethod GetNodeAddresses(RpcContext& ctx)
{
    return RpcMethod{
        "getnodeaddresses",
        "Return known addresses, after filtering for quality and recency.\n"
        "These can potentially be used to find new peers in the network.\n"
        "The total number of addresses known to the node may be higher.",
        {{"count", AT::NUM, RpcArg::Default{1},
          "The maximum number of addresses to return. Specify 0 to return all known addresses."},
         {"network", AT::STR, RpcArg::DefaultHint{"all networks"},
          "Return only addresses of the specified network. Can be one of: " + NETWORK_NAMES + "."}},
        RpcResult{RT::ARR, "", "",
                  {{RT::OBJ, "", "",
                    {{RT::NUM_TIME, "time", "The UNIX epoch time when the node was last seen"},
                     {RT::NUM, "services", "The services offered by the node"},
                     {RT::STR, "address", "The address of the node"},
                     {RT::NUM, "port", "The port number of the node"},
                     {RT::STR, "network", "The network (" + NETWORK_NAMES + ") the node connected through"}}}}},
        RpcExamples{HelpExampleCli("getnodeaddresses", "8") + HelpExampleCli("getnodeaddresses", "4 \"i2p\"") +
                    HelpExampleCli("-named getnodeaddresses", "network=onion count=12") +
                    HelpExampleRpc("getnodeaddresses", "8") + HelpExampleRpc("getnodeaddresses", "4, \"i2p\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& req) -> UniValue {
            RpcArgs args(self, req);
            ConnMan& connman = RequireConnMan(ctx);
            const int count = args.GetInt<int>(0);
            if (count < 0) throw RpcError(RPC_INVALID_PARAMETER, "Address count out of range");
            std::optional<Network> network;
            if (auto name = args.MaybeStr(1)) {
                network = ParseNetworkName(*name);
                if (*network == Network::UNROUTABLE) {
                    throw RpcError(RPC_INVALID_PARAMETER, "Network not recognized: " + *name);
                }
            }
            UniValue out(UniValue::VARR);
            for (const AddrEntry& a : connman.GetAddresses(size_t(count), /*max_pct=*/0, network)) {
                UniValue o(UniValue::VOBJ);
                o.pushKV("time", int64_t(a.time));
                o.pushKV("services", a.services);
                o.pushKV("address", a.addr.ToString());
                o.pushKV("port", a.addr.GetPort());
                o.pushKV("network", NetworkToName(GetNetClass(a.addr)));
                out.push_back(o);
            }
            return out;
        }};
}

RpcMethod GetAddrManInfo(RpcContext& ctx)
{
    return RpcMethod{
        "getaddrmaninfo",
        "Provides information about the node's address manager by returning the number of addresses in the `new` "
        "and `tried` tables and their sum for all networks.\n",
        {},
        RpcResult{RT::OBJ_DYN, "", "json object with network type as keys",
                  {{RT::OBJ, "network", "the network (" + NETWORK_NAMES + ", all_networks)",
                    {{RT::NUM, "new", "number of addresses in the new table, which represent potential peers the node "
                                      "has discovered but hasn't yet successfully connected to."},
                     {RT::NUM, "tried", "number of addresses in the tried table, which represent peers the node has "
                                        "successfully connected to in the past."},
                     {RT::NUM, "total", "total number of addresses in both new/tried tables"}}}}},
        RpcExamples{HelpExampleCli("getaddrmaninfo", "") + HelpExampleRpc("getaddrmaninfo", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            AddrMan& addrman = RequireAddrMan(ctx);
            UniValue out(UniValue::VOBJ);
            auto counts = [&](std::optional<Network> n) {
                UniValue o(UniValue::VOBJ);
                o.pushKV("new", uint64_t(addrman.Size(n, true)));
                o.pushKV("tried", uint64_t(addrman.Size(n, false)));
                o.pushKV("total", uint64_t(addrman.Size(n)));
                return o;
            };
            for (Network n : {Network::IPV4, Network::IPV6, Network::ONION, Network::I2P, Network::CJDNS}) {
                out.pushKV(NetworkToName(n), counts(n));
            }
            out.pushKV("all_networks", counts(std::nullopt));
            return out;
        }};
}

RpcMethod GetRawAddrMan(RpcContext& ctx)
{
    return RpcMethod{
        "getrawaddrman",
        "EXPERIMENTAL warning: this call may be changed in future releases.\n"
        "\nReturns information on all address manager entries for the new and tried tables.\n",
        {},
        RpcResult{RT::OBJ_DYN, "", "",
                  {{RT::OBJ_DYN, "table", "buckets with addresses in the address manager table ( new, tried )",
                    {{RT::OBJ, "bucket/position", "the location in the address manager table (<bucket>/<position>)",
                      {{RT::STR, "address", "The address of the node"},
                       {RT::NUM, "port", "The port number of the node"},
                       {RT::STR, "network", "The network (" + NETWORK_NAMES + ") of the address"},
                       {RT::NUM, "services", "The services offered by the node"},
                       {RT::NUM_TIME, "time", "The UNIX epoch time when the node was last seen"},
                       {RT::STR, "source", "The address that relayed the address to us"},
                       {RT::STR, "source_network", "The network (" + NETWORK_NAMES + ") of the source address"}}}}}}},
        RpcExamples{HelpExampleCli("getrawaddrman", "") + HelpExampleRpc("getrawaddrman", "")},
        [&ctx](const RpcMethod&, const JsonRpcRequest&) -> UniValue {
            AddrMan& addrman = RequireAddrMan(ctx);
            RequireConnMan(ctx);
            auto table = [&](bool tried) {
                UniValue t(UniValue::VOBJ);
                for (const auto& [info, pos] : addrman.GetEntries(tried)) {
                    UniValue o(UniValue::VOBJ);
                    o.pushKV("address", info.addr.ToString());
                    o.pushKV("port", info.addr.GetPort());
                    o.pushKV("services", info.services);
                    o.pushKV("time", info.time);
                    o.pushKV("network", NetworkToName(GetNetClass(info.addr)));
                    o.pushKV("source", info.source.ToString());
                    o.pushKV("source_network", NetworkToName(GetNetClass(info.source)));
                    t.pushKV(std::to_string(pos.bucket) + "/" + std::to_string(pos.position), o);
                }
                return t;
            };
            UniValue out(UniValue::VOBJ);
            out.pushKV("new", table(false));
            out.pushKV("tried", table(true));
            return out;
        }};
}

RpcMethod AddPeerAddress(RpcContext& ctx)
{
    return RpcMethod{
        "addpeeraddress",
        "Add the address of a potential peer to an address manager table. This RPC is for testing only.",
        {{"address", AT::STR, RpcArg::Optional::NO, "The IP address of the peer"},
         {"port", AT::NUM, RpcArg::Optional::NO, "The port of the peer"},
         {"tried", AT::BOOL, RpcArg::Default{false},
          "If true, attempt to add the peer to the tried addresses table"}},
        RpcResult{RT::OBJ, "", "",
                  {{RT::BOOL, "success", "whether the peer address was successfully added to the address manager table"},
                   {RT::STR, "error", /*optional=*/true, "error description, if the address could not be added"}}},
        RpcExamples{HelpExampleCli("addpeeraddress", "\"1.2.3.4\" 8333 true") +
                    HelpExampleRpc("addpeeraddress", "\"1.2.3.4\", 8333, true")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& req) -> UniValue {
            AddrMan& addrman = RequireAddrMan(ctx);
            RpcArgs args(self, req);
            const std::string& text = args.GetStr(0);
            const uint16_t port = args.GetInt<uint16_t>(1);
            const bool tried = args.GetBool(2);
            UniValue out(UniValue::VOBJ);
            bool success = false;
            std::string_view host = text;
            if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
            if (const auto addr = NetAddr::Parse(host)) {
                AddrEntry entry;
                entry.addr = Service(*addr, port);
                entry.services = NODE_NETWORK | NODE_WITNESS;
                entry.time = uint32_t(GetTime());
                // The address as its own source, as if the peer announced itself.
                if (addrman.Add({entry}, entry.addr)) {
                    success = true;
                    if (tried && !addrman.Good(entry.addr)) {
                        success = false;
                        out.pushKV("error", "failed-adding-to-tried");
                    }
                } else {
                    out.pushKV("error", "failed-adding-to-new");
                }
            }
            out.pushKV("success", success);
            return out;
        }};
}

} // namespace

void RegisterNetworkRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("network", GetConnectionCount(ctx));
    table.Register("network", Ping(ctx));
    table.Register("network", GetPeerInfo(ctx));
    table.Register("network", AddNode(ctx));
    table.Register("network", DisconnectNode(ctx));
    table.Register("network", GetAddedNodeInfo(ctx));
    table.Register("network", GetNetTotals(ctx));
    table.Register("network", GetNetworkInfo(ctx));
    table.Register("network", SetBan(ctx));
    table.Register("network", ListBanned(ctx));
    table.Register("network", ClearBanned(ctx));
    table.Register("network", SetNetworkActive(ctx));
    table.Register("network", GetNodeAddresses(ctx));
    table.Register("network", GetAddrManInfo(ctx));
    table.Register("hidden", AddConnection(ctx));
    table.Register("hidden", AddPeerAddress(ctx));
    table.Register("hidden", GetRawAddrMan(ctx));
}

} // namespace cairn
