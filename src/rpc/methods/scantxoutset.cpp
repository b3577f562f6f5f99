// scantxoutset (help category "blockchain"): finds the coins paying to the
// scripts of some output descriptors by walking the whole UTXO database.
// One scan runs at a time; "status" and "abort" reach it from other RPC
// threads through the atomics below.
#include "rpc/context.h"
#include "rpc/methods/descriptor_args.h"
#include "rpc/methods/register.h"
#include "rpc/protocol.h"
#include "rpc/server.h"
#include "rpc/util.h"
#include "script/descriptor.h"
#include "util/hex.h"
#include "validation/chainstate_manager.h"

#include <atomic>
#include <map>

namespace cairn {

namespace {

std::atomic<bool> g_scan_in_progress{false};
std::atomic<int> g_scan_progress{0};
std::atomic<bool> g_should_abort_scan{false};

/** Holds the one-scan-at-a-time slot while alive. */
class ScanReservation
{
public:
    bool Reserve()
    {
        bool expected = false;
        m_reserved = g_scan_in_progress.compare_exchange_strong(expected, true);
        return m_reserved;
    }
    ~ScanReservation()
    {
        if (m_reserved) g_scan_in_progress = false;
    }

private:
    bool m_reserved{false};
};

/** The scripts of one scan object (a descriptor string, or {desc, range})
 *  with the descriptor shown for each match; Core's errors. */
void AddScanObject(const UniValue& obj, ChainType chain, std::map<Script, std::string>& needles)
{
    std::string text;
    std::pair<int64_t, int64_t> range{0, 1000};
    if (obj.isStr()) {
        text = obj.get_str();
    } else if (obj.isObject()) {
        const UniValue& desc = find_value(obj, "desc");
        if (desc.isNull()) throw RpcError(RPC_INVALID_PARAMETER, "Descriptor needs to be provided in scan object");
        CheckValueType(desc, UniValue::VSTR);
        text = desc.get_str();
        const UniValue& range_value = find_value(obj, "range");
        if (!range_value.isNull()) range = ParseDescriptorRange(range_value);
    } else {
        throw RpcError(RPC_INVALID_PARAMETER, "Scan object needs to be either a string or an object");
    }

    std::string error;
    const auto descs = ParseDescriptor(text, chain, error);
    if (descs.empty()) throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, error);
    if (!descs[0]->IsRange()) range = {0, 0};
    for (int64_t i = range.first; i <= range.second; ++i) {
        for (const auto& desc : descs) {
            std::vector<std::pair<Script, std::string>> scripts;
            if (!desc->ExpandWithDescriptors(uint32_t(i), scripts)) {
                throw RpcError(RPC_INVALID_ADDRESS_OR_KEY, "Cannot derive script without private keys: '" + text + "'");
            }
            // The first descriptor naming a script is the one shown.
            for (auto& [script, inferred] : scripts) needles.emplace(std::move(script), std::move(inferred));
        }
    }
}

RpcMethod ScanTxOutSet(RpcContext& ctx)
{
    return RpcMethod{
        "scantxoutset",
        "Scans the unspent transaction output set for entries that match certain output descriptors.\n"
        "Examples of output descriptors are:\n"
        "    addr(<address>)                      Outputs whose output script corresponds to the specified address (does not include P2PK)\n"
        "    raw(<hex script>)                    Outputs whose output script equals the specified hex-encoded bytes\n"
        "    combo(<pubkey>)                      P2PK, P2PKH, P2WPKH, and P2SH-P2WPKH outputs for the given pubkey\n"
        "    pkh(<pubkey>)                        P2PKH outputs for the given pubkey\n"
        "    sh(multi(<n>,<pubkey>,<pubkey>,...)) P2SH-multisig outputs for the given threshold and pubkeys\n"
        "    tr(<pubkey>)                         P2TR\n"
        "    tr(<pubkey>,{pk(<pubkey>)})          P2TR with single fallback pubkey in tapscript\n"
        "    rawtr(<pubkey>)                      P2TR with the specified key as output key rather than inner\n"
        "    wsh(and_v(v:pk(<pubkey>),after(2)))  P2WSH miniscript with mandatory pubkey and a timelock\n"
        "\nIn the above, <pubkey> either refers to a fixed public key in hexadecimal notation, or to an xpub/xprv optionally followed by one\n"
        "or more path elements separated by \"/\", and optionally ending in \"/*\" (unhardened), or \"/*'\" or \"/*h\" (hardened) to specify all\n"
        "unhardened or hardened child keys.\n"
        "In the latter case, a range needs to be specified by below if different from 1000.\n"
        "For more information on output descriptors, see the documentation in the doc/descriptors.md file.",
        {
            {"action", RpcArg::Type::STR, RpcArg::Optional::NO,
             "The action to execute\n"
             "\"start\" for starting a scan\n"
             "\"abort\" for aborting the current scan (returns true when abort was successful)\n"
             "\"status\" for progress report (in %) of the current scan"},
            {"scanobjects", RpcArg::Type::ARR, RpcArg::Optional::OMITTED,
             "Array of scan objects. Required for \"start\" action\n"
             "Every scan object is either a string descriptor or an object:",
             {
                 {"descriptor", RpcArg::Type::STR, RpcArg::Optional::OMITTED, "An output descriptor"},
                 {"", RpcArg::Type::OBJ, RpcArg::Optional::OMITTED, "An object with output descriptor and metadata",
                  {
                      {"desc", RpcArg::Type::STR, RpcArg::Optional::NO, "An output descriptor"},
                      {"range", RpcArg::Type::RANGE, RpcArg::Default{1000},
                       "The range of HD chain indexes to explore (either end or [begin,end])"},
                  }},
             },
             RpcArgOptions{.oneline_description = "[scanobjects,...]"}},
        },
        {
            RpcResult{"when action=='start'; only returns after scan completes", RpcResult::Type::OBJ, "", "",
                      {
                          {RpcResult::Type::BOOL, "success", "Whether the scan was completed"},
                          {RpcResult::Type::NUM, "txouts", "The number of unspent transaction outputs scanned"},
                          {RpcResult::Type::NUM, "height", "The block height at which the scan was done"},
                          {RpcResult::Type::STR_HEX, "bestblock", "The hash of the block at the tip of the chain"},
                          {RpcResult::Type::ARR, "unspents", "",
                           {{RpcResult::Type::OBJ, "", "",
                             {
                                 {RpcResult::Type::STR_HEX, "txid", "The transaction id"},
                                 {RpcResult::Type::NUM, "vout", "The vout value"},
                                 {RpcResult::Type::STR_HEX, "scriptPubKey", "The output script"},
                                 {RpcResult::Type::STR, "desc", "A specialized descriptor for the matched output script"},
                                 {RpcResult::Type::STR_AMOUNT, "amount", "The total amount in BTC of the unspent output"},
                                 {RpcResult::Type::BOOL, "coinbase", "Whether this is a coinbase output"},
                                 {RpcResult::Type::NUM, "height", "Height of the unspent transaction output"},
                                 {RpcResult::Type::STR_HEX, "blockhash", "Blockhash of the unspent transaction output"},
                                 {RpcResult::Type::NUM, "confirmations", "Number of confirmations of the unspent transaction output when the scan was done"},
                             }}}},
                          {RpcResult::Type::STR_AMOUNT, "total_amount", "The total amount of all found unspent outputs in BTC"},
                      }},
            RpcResult{"when action=='abort'", RpcResult::Type::BOOL, "success",
                      "True if scan will be aborted (not necessarily before this RPC returns), or false if there is no scan to abort"},
            RpcResult{"when action=='status' and a scan is currently in progress", RpcResult::Type::OBJ, "", "",
                      {{RpcResult::Type::NUM, "progress", "Approximate percent complete"}}},
            RpcResult{"when action=='status' and no scan is in progress - possibly already completed", RpcResult::Type::NONE, "", ""},
        },
        RpcExamples{HelpExampleCli("scantxoutset", "start \'[\"raw(76a91411b366edfc0a8b66feebae5c2e25a7b6a5d1cf3188ac)#fm24fxxy\"]\'") +
                    HelpExampleCli("scantxoutset", "status") + HelpExampleCli("scantxoutset", "abort") +
                    HelpExampleRpc("scantxoutset", "\"start\", [\"raw(76a91411b366edfc0a8b66feebae5c2e25a7b6a5d1cf3188ac)#fm24fxxy\"]") +
                    HelpExampleRpc("scantxoutset", "\"status\"") + HelpExampleRpc("scantxoutset", "\"abort\"")},
        [&ctx](const RpcMethod& self, const JsonRpcRequest& request) -> UniValue {
            const RpcArgs args{self, request};
            const std::string& action = args.GetStr(0);
            if (action == "status") {
                if (!g_scan_in_progress) return UniValue();
                UniValue result(UniValue::VOBJ);
                result.pushKV("progress", g_scan_progress.load());
                return result;
            }
            if (action == "abort") {
                if (!g_scan_in_progress) return false;
                g_should_abort_scan = true;
                return true;
            }
            if (action != "start") throw RpcError(RPC_INVALID_PARAMETER, "Invalid action '" + action + "'");

            ScanReservation reservation;
            if (!reservation.Reserve()) {
                throw RpcError(RPC_INVALID_PARAMETER, "Scan already in progress, use action \"abort\" or \"status\"");
            }
            if (request.params.size() < 2) {
                throw RpcError(RPC_MISC_ERROR, "scanobjects argument is required for the start action");
            }
            CheckValueType(request.params[1], UniValue::VARR);
            std::map<Script, std::string> needles;
            for (const UniValue& obj : request.params[1].getValues()) AddScanObject(obj, ctx.chain, needles);

            if (!ctx.chainman) throw RpcError(RPC_INTERNAL_ERROR, "Chainstate is not available");
            ChainstateManager& chainman = *ctx.chainman;
            // Walk the database as of the tip: flush, then take a cursor
            // (a LevelDB snapshot) while the flushed state is still the tip's.
            std::unique_ptr<CoinsDB::Cursor> cursor;
            const BlockIndex* tip = nullptr;
            for (int attempt = 0; !cursor; ++attempt) {
                BlockValidationState state;
                if (!chainman.FlushStateToDisk(FlushMode::ALWAYS, state)) {
                    throw RpcError(RPC_DATABASE_ERROR, "Unable to flush the UTXO set");
                }
                std::lock_guard lock(chainman.GetMutex());
                tip = chainman.ActiveChain().Tip();
                if (!tip) throw RpcError(RPC_MISC_ERROR, "No blocks in the chain yet");
                if (chainman.CoinsDatabase().GetBestBlock() == tip->GetBlockHash() || attempt >= 10) {
                    cursor = chainman.CoinsDatabase().NewCursor();
                }
            }

            g_should_abort_scan = false;
            g_scan_progress = 0;
            std::map<OutPoint, Coin> found;
            int64_t count = 0;
            bool success = true;
            for (; cursor->Valid(); cursor->Next()) {
                ++count;
                if (count % 8192 == 0 && (g_should_abort_scan || (ctx.shutdown_requested && ctx.shutdown_requested()))) {
                    success = false;
                    break;
                }
                const OutPoint& outpoint = cursor->Key();
                if (count % 256 == 0) {
                    // Progress by the txid's first two bytes: keys are in txid order.
                    const uint32_t high = 0x100 * outpoint.hash.data()[0] + outpoint.hash.data()[1];
                    g_scan_progress = int(high * 100.0 / 65536.0 + 0.5);
                }
                const Coin& coin = cursor->Value();
                if (needles.count(coin.out.script_pubkey)) found.emplace(outpoint, coin);
            }
            if (success) g_scan_progress = 100;

            UniValue result(UniValue::VOBJ);
            result.pushKV("success", success);
            result.pushKV("txouts", count);
            result.pushKV("height", tip->height);
            result.pushKV("bestblock", tip->GetBlockHash().GetHex());
            UniValue unspents(UniValue::VARR);
            Amount total = 0;
            for (const auto& [outpoint, coin] : found) {
                const BlockIndex* block = tip->GetAncestor(int(coin.height));
                total += coin.out.value;
                UniValue unspent(UniValue::VOBJ);
                unspent.pushKV("txid", outpoint.hash.GetHex());
                unspent.pushKV("vout", uint64_t(outpoint.n));
                unspent.pushKV("scriptPubKey", HexStr(coin.out.script_pubkey));
                unspent.pushKV("desc", needles[coin.out.script_pubkey]);
                unspent.pushKV("amount", ValueFromAmount(coin.out.value));
                unspent.pushKV("coinbase", coin.IsCoinBase());
                unspent.pushKV("height", uint64_t(coin.height));
                unspent.pushKV("blockhash", block ? block->GetBlockHash().GetHex() : uint256().GetHex());
                unspent.pushKV("confirmations", int64_t(tip->height) - int64_t(coin.height) + 1);
                unspents.push_back(std::move(unspent));
            }
            result.pushKV("unspents", std::move(unspents));
            result.pushKV("total_amount", ValueFromAmount(total));
            return result;
        }};
}

} // namespace

void RegisterScanTxOutSetRpcCommands(RpcTable& table, RpcContext& ctx)
{
    table.Register("blockchain", ScanTxOutSet(ctx));
}

} // namespace cairn
