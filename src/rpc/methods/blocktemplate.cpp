// getblocktemplate (help category "mining"): BIP 22 templates, BIP 23
// proposals, BIP 9 version bits for the client's rules, and BIP 22 long
// polling.
//
// A template is the pool's best block on the tip (mining/block_assembler.h)
// with everything a mining client needs to build the coinbase and header
// itself. As in Bitcoin Core the last template is kept and served again
// (with a fresh time) until the tip changes, or the pool changed and five
// seconds passed; its "longpollid" is the tip hash followed by the pool's
// transactions-updated counter when it was built. A long poll with that id
// returns once the tip moves or, checked after a minute and then every ten
// seconds, the pool changed.
#include "consensus/block_check.h"
#include "consensus/consensus.h"
#include "consensus/pow.h"
#include "consensus/tx_check.h"
#include "consensus/versionbits.h"
#include "mempool/tx_mempool.h"
#include "mining/block_assembler.h"
#include "net/connman.h"
#include "rpc/context.h"
#include "rpc/methods/mining_util.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/tx_json.h"
#include "rpc/util.h"
#include "util/hex.h"
#include "util/time.h"
#include "validation/chainstate_manager.h"
#include "validation/tip_watch.h"

#include <chrono>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace cairn {

namespace {

/** The last template served, shared by every getblocktemplate call (Core
 *  keeps the same in function-static variables). Lock order: the chain's
 *  lock, then this one, then the pool's. */
struct TemplateCache {
    std::mutex mutex;
    /** The tip the template was built on (null: none, or the build failed). */
    const BlockIndex* prev{nullptr};
    int64_t time_start{0};
    /** The pool's transactions-updated counter when it was built. */
    unsigned transactions_updated_last{0};
    std::optional<BlockTemplate> tmpl;
};

TemplateCache& Cache()
{
    static TemplateCache cache;
    return cache;
}

bool ShuttingDown(const RpcContext& ctx) { return ctx.shutdown_requested && ctx.shutdown_requested(); }

unsigned TransactionsUpdated(const RpcContext& ctx)
{
    if (!ctx.mempool) return 0;
    std::lock_guard lock(ctx.mempool->GetMutex());
    return ctx.mempool->GetTransactionsUpdated();
}

/** Core's LocaleIndependentAtoi: optional sign and leading digits, 0 when
 *  none, saturating; the caller truncates to 32 bits as Core does. */
int64_t LeadingInteger(std::string_view s)
{
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    int64_t value = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
        const int digit = s[i] - '0';
        if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) {
            return negative ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
        }
        value = value * 10 + digit;
    }
    return negative ? -value : value;
}

/** BIP 9: a rule the client must understand is prefixed with '!'. */
std::string GbtRuleValue(std::string_view name, bool optional_rule)
{
    return optional_rule ? std::string(name) : "!" + std::string(name);
}

/** BIP 23: checks a proposed block; "duplicate..." when the block is known. */
UniValue CheckProposal(RpcContext& ctx, const UniValue& request)
{
    const UniValue& data = find_value(request, "data");
    if (!data.isStr()) throw RpcError(RPC_TYPE_ERROR, "Missing data String key for proposal");
    const std::optional<Block> block = DecodeHexBlock(data.get_str());
    if (!block) throw RpcError(RPC_DESERIALIZATION_ERROR, "Block decode failed");

    ChainstateManager& chainman = *ctx.chainman;
    std::lock_guard lock(chainman.GetMutex());
    if (const BlockIndex* known = chainman.Tree().Lookup(block->GetHash())) {
        if (known->IsValid(BLOCK_VALID_SCRIPTS)) return "duplicate";
        if (known->status & BLOCK_FAILED_MASK) return "duplicate-invalid";
        return "duplicate-inconclusive";
    }
    // A block not on the tip fails with "inconclusive-not-best-prevblk".
    BlockValidationState state;
    chainman.TestBlockValidity(*block, state, /*check_pow=*/false, /*check_merkle=*/true);
    return Bip22Result(state);
}

/**
 * BIP 22 long polling: returns once the tip is no longer `watched` or the
 * pool's counter differs from `updated_last` (looked at after a minute,
 * then every ten seconds), or at shutdown. Called without the chain's lock.
 */
void WaitForChange(RpcContext& ctx, const uint256& watched, unsigned updated_last)
{
    int64_t wait_ms = 60 * 1000;
    while (!ShuttingDown(ctx)) {
        if (ctx.tip_watch) {
            // An id that is not a real block hash returns at once.
            const TipWatch::Tip tip = ctx.tip_watch->WaitFor(
                [&](const TipWatch::Tip& t) { return t.hash != watched; }, wait_ms);
            if (ShuttingDown(ctx) || tip.hash != watched) return;
        } else {
            // No tip notifications (tests): poll the engine.
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
            while (std::chrono::steady_clock::now() < deadline && !ShuttingDown(ctx)) {
                if (ctx.chainman->TipHash() != watched) return;
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            if (ShuttingDown(ctx) || ctx.chainman->TipHash() != watched) return;
        }
        if (TransactionsUpdated(ctx) != updated_last) return;
        wait_ms = 10 * 1000;
    }
}

/** The client's "rules" as a set of strings (a non-string entry fails as in Core). */
std::set<std::string> ClientRules(const UniValue& request)
{
    std::set<std::string> rules;
    const UniValue& value = find_value(request, "rules");
    if (value.isArray()) {
        for (const UniValue& rule : value.getValues()) rules.insert(rule.get_str());
    }
    return rules;
}

UniValue TemplateToJSON(RpcContext& ctx, const BlockTemplate& tmpl, const BlockIndex& prev,
                        const std::set<std::string>& client_rules, const uint256& tip, unsigned updated_last)
{
    ChainstateManager& chainman = *ctx.chainman;
    const ConsensusParams& params = chainman.Params().consensus;

    Block block = tmpl.block;
    UpdateTime(block, prev, params, GetTime());
    block.nonce = 0;

    // Pre-segwit clients are not served once segwit is active; before, sigops are counted unscaled.
    const bool pre_segwit = !DeploymentActiveAfter(&prev, params, BuriedDeployment::SEGWIT);

    UniValue capabilities(UniValue::VARR);
    capabilities.push_back("proposal");

    UniValue transactions(UniValue::VARR);
    std::map<uint256, int64_t> index_of;
    for (size_t i = 0; i < block.vtx.size(); ++i) {
        const Transaction& tx = *block.vtx[i];
        index_of[tx.GetTxid()] = int64_t(i);
        if (tx.IsCoinBase()) continue;

        UniValue entry(UniValue::VOBJ);
        entry.pushKV("data", EncodeHexTx(tx));
        entry.pushKV("txid", tx.GetTxid().GetHex());
        entry.pushKV("hash", tx.GetWtxid().GetHex());
        UniValue depends(UniValue::VARR);
        for (const TxIn& in : tx.vin) {
            if (const auto it = index_of.find(in.prevout.hash); it != index_of.end()) depends.push_back(it->second);
        }
        entry.pushKV("depends", std::move(depends));
        entry.pushKV("fee", tmpl.tx_fees.at(i - 1));
        int64_t sigops = tmpl.tx_sigops.at(i - 1);
        if (pre_segwit) sigops /= WITNESS_SCALE_FACTOR;
        entry.pushKV("sigops", sigops);
        entry.pushKV("weight", GetTransactionWeight(tx));
        transactions.push_back(std::move(entry));
    }

    UniValue rules(UniValue::VARR);
    rules.push_back("csv");
    if (!pre_segwit) rules.push_back("!segwit");
    if (params.signet_blocks) rules.push_back("!signet"); // the client must know signet's rules

    // BIP 9 deployments by state, each in name order as Core's maps list them.
    struct Vb {
        int bit;
        uint32_t mask;
        bool optional_rule;
    };
    std::map<std::string, Vb> signalling, locked_in, active;
    for (int i = 0; i < int(MAX_VERSION_BITS_DEPLOYMENTS); ++i) {
        const auto pos = DeploymentPos(i);
        const Vb vb{params.deployments[pos].bit, VersionBitsMask(params, pos), DeploymentGbtForce(pos)};
        const std::string name(DeploymentName(pos));
        switch (chainman.VersionBits().State(&prev, params, pos)) {
        case ThresholdState::DEFINED:
        case ThresholdState::FAILED: break; // not shown
        case ThresholdState::STARTED: signalling.emplace(name, vb); break;
        case ThresholdState::LOCKED_IN: locked_in.emplace(name, vb); break;
        case ThresholdState::ACTIVE: active.emplace(name, vb); break;
        }
    }
    UniValue vbavailable(UniValue::VOBJ);
    for (const auto& [name, vb] : signalling) {
        vbavailable.pushKV(GbtRuleValue(name, vb.optional_rule), vb.bit);
        // A client that does not know a rule must not signal for it.
        if (!vb.optional_rule && !client_rules.count(name)) block.version &= ~int32_t(vb.mask);
    }
    for (const auto& [name, vb] : locked_in) {
        block.version |= int32_t(vb.mask);
        vbavailable.pushKV(GbtRuleValue(name, vb.optional_rule), vb.bit);
        if (!vb.optional_rule && !client_rules.count(name)) block.version &= ~int32_t(vb.mask);
    }
    for (const auto& [name, vb] : active) {
        rules.push_back(GbtRuleValue(name, vb.optional_rule));
        if (!vb.optional_rule && !client_rules.count(name)) {
            throw RpcError(RPC_INVALID_PARAMETER, "Support for '" + name + "' rule requires explicit client support");
        }
    }

    UniValue mutable_fields(UniValue::VARR);
    mutable_fields.push_back("time");
    mutable_fields.push_back("transactions");
    mutable_fields.push_back("prevblock");

    int64_t sigop_limit = MAX_BLOCK_SIGOPS_COST;
    int64_t size_limit = MAX_BLOCK_SERIALIZED_SIZE;
    if (pre_segwit) {
        sigop_limit /= WITNESS_SCALE_FACTOR;
        size_limit /= WITNESS_SCALE_FACTOR;
    }

    UniValue result(UniValue::VOBJ);
    result.pushKV("capabilities", std::move(capabilities));
    result.pushKV("version", block.version);
    result.pushKV("rules", std::move(rules));
    result.pushKV("vbavailable", std::move(vbavailable));
    result.pushKV("vbrequired", 0);
    result.pushKV("previousblockhash", block.prev_block.GetHex());
    result.pushKV("transactions", std::move(transactions));
    result.pushKV("coinbaseaux", UniValue(UniValue::VOBJ));
    result.pushKV("coinbasevalue", block.vtx[0]->vout[0].value);
    result.pushKV("longpollid", tip.GetHex() + std::to_string(updated_last));
    result.pushKV("target", TargetHex(block.bits));
    result.pushKV("mintime", GetMinimumTime(prev, params));
    result.pushKV("mutable", std::move(mutable_fields));
    result.pushKV("noncerange", "00000000ffffffff");
    result.pushKV("sigoplimit", sigop_limit);
    result.pushKV("sizelimit", size_limit);
    if (!pre_segwit) result.pushKV("weightlimit", int64_t(MAX_BLOCK_WEIGHT));
    result.pushKV("curtime", int64_t(block.time));
    result.pushKV("bits", fmt::format("{:08x}", block.bits));
    result.pushKV("height", prev.height + 1);
    if (params.signet_blocks) result.pushKV("signet_challenge", HexStr(params.signet_challenge));
    if (!tmpl.coinbase_commitment.empty()) {
        result.pushKV("default_witness_commitment", HexStr(tmpl.coinbase_commitment.bytes()));
    }
    return result;
}

RpcMethod GetBlockTemplate(RpcContext& ctx)
{
    return RpcMethod{
        "getblocktemplate",
        "If the request parameters include a 'mode' key, that is used to explicitly select between the default "
        "'template' request or a 'proposal'.\n"
        "It returns data needed to construct a block to work on.\n"
        "For full specification, see BIPs 22, 23, 9, and 145:\n"
        "    https://github.com/bitcoin/bips/blob/master/bip-0022.mediawiki\n"
        "    https://github.com/bitcoin/bips/blob/master/bip-0023.mediawiki\n"
        "    https://github.com/bitcoin/bips/blob/master/bip-0009.mediawiki#getblocktemplate_changes\n"
        "    https://github.com/bitcoin/bips/blob/master/bip-0145.mediawiki\n",
        {
            {"template_request", RpcArg::Type::OBJ, RpcArg::Optional::NO, "Format of the template",
             {
                 {"mode", RpcArg::Type::STR, RpcArg::Optional::OMITTED,
                  "This must be set to \"template\", \"proposal\" (see BIP 23), or omitted"},
                 {"capabilities", RpcArg::Type::ARR, RpcArg::Optional::OMITTED, "A list of strings",
                  {{"str", RpcArg::Type::STR, RpcArg::Optional::OMITTED,
                    "client side supported feature, 'longpoll', 'coinbasevalue', 'proposal', 'serverlist', 'workid'"}}},
                 {"rules", RpcArg::Type::ARR, RpcArg::Optional::NO, "A list of strings",
                  {
                      {"segwit", RpcArg::Type::STR, RpcArg::Optional::NO, "(literal) indicates client side segwit support"},
                      {"str", RpcArg::Type::STR, RpcArg::Optional::OMITTED, "other client side supported softfork deployment"},
                  }},
                 {"longpollid", RpcArg::Type::STR, RpcArg::Optional::OMITTED,
                  "delay processing request until the result would vary significantly from the \"longpollid\" of a "
                  "prior template"},
                 {"data", RpcArg::Type::STR_HEX, RpcArg::Optional::OMITTED,
                  "proposed block data to check, encoded in hexadecimal; valid only for mode=\"proposal\""},
             }},
        },
        RpcResults{
            RpcResult{"If the proposal was accepted with mode=='proposal'", RpcResult::Type::NONE, "", ""},
            RpcResult{"If the proposal was not accepted with mode=='proposal'", RpcResult::Type::STR, "", "According to BIP22"},
            RpcResult{
                "Otherwise", RpcResult::Type::OBJ, "", "",
                {
                    {RpcResult::Type::NUM, "version", "The preferred block version"},
                    {RpcResult::Type::ARR, "rules", "specific block rules that are to be enforced",
                     {{RpcResult::Type::STR, "", "name of a rule the client must understand to some extent; see BIP 9 for format"}}},
                    {RpcResult::Type::OBJ_DYN, "vbavailable", "set of pending, supported versionbit (BIP 9) softfork deployments",
                     {{RpcResult::Type::NUM, "rulename", "identifies the bit number as indicating acceptance and readiness for the named softfork rule"}}},
                    {RpcResult::Type::ARR, "capabilities", "",
                     {{RpcResult::Type::STR, "value", "A supported feature, for example 'proposal'"}}},
                    {RpcResult::Type::NUM, "vbrequired", "bit mask of versionbits the server requires set in submissions"},
                    {RpcResult::Type::STR, "previousblockhash", "The hash of current highest block"},
                    {RpcResult::Type::ARR, "transactions", "contents of non-coinbase transactions that should be included in the next block",
                     {{RpcResult::Type::OBJ, "", "",
                       {
                           {RpcResult::Type::STR_HEX, "data", "transaction data encoded in hexadecimal (byte-for-byte)"},
                           {RpcResult::Type::STR_HEX, "txid", "transaction hash excluding witness data, shown in byte-reversed hex"},
                           {RpcResult::Type::STR_HEX, "hash", "transaction hash including witness data, shown in byte-reversed hex"},
                           {RpcResult::Type::ARR, "depends", "array of numbers",
                            {{RpcResult::Type::NUM, "", "transactions before this one (by 1-based index in 'transactions' list) that must be present in the final block if this one is"}}},
                           {RpcResult::Type::NUM, "fee", "difference in value between transaction inputs and outputs (in satoshis); for coinbase transactions, this is a negative Number of the total collected block fees (ie, not including the block subsidy); if key is not present, fee is unknown and clients MUST NOT assume there isn't one"},
                           {RpcResult::Type::NUM, "sigops", "total SigOps cost, as counted for purposes of block limits; if key is not present, sigop cost is unknown and clients MUST NOT assume it is zero"},
                           {RpcResult::Type::NUM, "weight", "total transaction weight, as counted for purposes of block limits"},
                       }}}},
                    {RpcResult::Type::OBJ_DYN, "coinbaseaux", "data that should be included in the coinbase's scriptSig content",
                     {{RpcResult::Type::STR_HEX, "key", "values must be in the coinbase (keys may be ignored)"}}},
                    {RpcResult::Type::NUM, "coinbasevalue", "maximum allowable input to coinbase transaction, including the generation award and transaction fees (in satoshis)"},
                    {RpcResult::Type::STR, "longpollid", "an id to include with a request to longpoll on an update to this template"},
                    {RpcResult::Type::STR, "target", "The hash target"},
                    {RpcResult::Type::NUM_TIME, "mintime", "The minimum timestamp appropriate for the next block time, expressed in UNIX epoch time. Adjusted for the proposed BIP94 timewarp rule."},
                    {RpcResult::Type::ARR, "mutable", "list of ways the block template may be changed",
                     {{RpcResult::Type::STR, "value", "A way the block template may be changed, e.g. 'time', 'transactions', 'prevblock'"}}},
                    {RpcResult::Type::STR_HEX, "noncerange", "A range of valid nonces"},
                    {RpcResult::Type::NUM, "sigoplimit", "limit of sigops in blocks"},
                    {RpcResult::Type::NUM, "sizelimit", "limit of block size"},
                    {RpcResult::Type::NUM, "weightlimit", /*optional=*/true, "limit of block weight"},
                    {RpcResult::Type::NUM_TIME, "curtime", "current timestamp in UNIX epoch time. Adjusted for the proposed BIP94 timewarp rule."},
                    {RpcResult::Type::STR, "bits", "compressed target of next block"},
                    {RpcResult::Type::NUM, "height", "The height of the next block"},
                    {RpcResult::Type::STR_HEX, "signet_challenge", /*optional=*/true, "Only on signet"},
                    {RpcResult::Type::STR_HEX, "default_witness_commitment", /*optional=*/true, "a valid witness commitment for the unmodified block template"},
                }},
        },
        RpcExamples{HelpExampleCli("getblocktemplate", "'{\"rules\": [\"segwit\"]}'") +
                    HelpExampleRpc("getblocktemplate", "{\"rules\": [\"segwit\"]}")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            ChainstateManager& chainman = *ctx.chainman;

            std::string mode = "template";
            UniValue longpollid;
            std::set<std::string> client_rules;
            if (args.Has(0)) {
                const UniValue& req = args.Get(0);
                const UniValue& mode_value = find_value(req, "mode");
                if (mode_value.isStr()) {
                    mode = mode_value.get_str();
                } else if (!mode_value.isNull()) {
                    throw RpcError(RPC_INVALID_PARAMETER, "Invalid mode");
                }
                longpollid = find_value(req, "longpollid");
                if (mode == "proposal") return CheckProposal(ctx, req);
                client_rules = ClientRules(req);
            }
            if (mode != "template") throw RpcError(RPC_INVALID_PARAMETER, "Invalid mode");

            // Test networks may mine alone; elsewhere a template needs peers and a synced chain.
            if (!chainman.Params().is_test_chain) {
                if (!ctx.connman) {
                    throw RpcError(RPC_CLIENT_P2P_DISABLED, "Error: Peer-to-peer functionality missing or disabled");
                }
                if (ctx.connman->GetNodeCount(ConnMan::Direction::ALL) == 0) {
                    throw RpcError(RPC_CLIENT_NOT_CONNECTED, "Bitcoin Core is not connected!");
                }
                if (chainman.IsInitialBlockDownload()) {
                    throw RpcError(RPC_CLIENT_IN_INITIAL_DOWNLOAD,
                                   "Bitcoin Core is in initial sync and waiting for blocks...");
                }
            }

            TemplateCache& cache = Cache();
            if (!longpollid.isNull()) {
                uint256 watched;
                unsigned updated_last;
                if (longpollid.isStr()) {
                    // <tip hash><transactions-updated counter>
                    const std::string& id = longpollid.get_str();
                    watched = ParseHashV(UniValue(id.substr(0, 64)), "longpollid");
                    updated_last = unsigned(LeadingInteger(std::string_view(id).substr(64)));
                } else {
                    // Not in the spec; handy for tests: the current tip and template.
                    watched = chainman.TipHash();
                    std::lock_guard lock(cache.mutex);
                    updated_last = cache.transactions_updated_last;
                }
                WaitForChange(ctx, watched, updated_last);
                if (ShuttingDown(ctx)) throw RpcError(RPC_CLIENT_NOT_CONNECTED, "Shutting down");
            }

            const ConsensusParams& params = chainman.Params().consensus;
            if (params.signet_blocks && !client_rules.count("signet")) {
                throw RpcError(RPC_INVALID_PARAMETER,
                               "getblocktemplate must be called with the signet rule set (call with {\"rules\": "
                               "[\"segwit\", \"signet\"]})");
            }
            if (!client_rules.count("segwit")) {
                throw RpcError(RPC_INVALID_PARAMETER,
                               "getblocktemplate must be called with the segwit rule set (call with {\"rules\": "
                               "[\"segwit\"]})");
            }

            std::lock_guard chain_lock(chainman.GetMutex());
            const BlockIndex* tip = chainman.ActiveChain().Tip();
            if (!tip) throw RpcError(RPC_MISC_ERROR, "No blocks in the chain yet");
            std::lock_guard cache_lock(cache.mutex);
            if (!cache.prev || cache.prev != tip ||
                (TransactionsUpdated(ctx) != cache.transactions_updated_last && GetTime() - cache.time_start > 5)) {
                // Cleared first, so that a failure below means a new build next time.
                cache.prev = nullptr;
                cache.transactions_updated_last = TransactionsUpdated(ctx);
                cache.time_start = GetTime();
                Script op_true;
                op_true << OP_TRUE;
                cache.tmpl = BlockAssembler(chainman, ctx.mempool, MiningOptions(ctx)).CreateNewBlock(op_true);
                cache.prev = tip;
            }
            return TemplateToJSON(ctx, *cache.tmpl, *cache.prev, client_rules, tip->GetBlockHash(),
                                  cache.transactions_updated_last);
        }};
}

} // namespace

void RegisterBlockTemplateRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("mining", GetBlockTemplate(ctx));
}

} // namespace cairn
