// The streaming JSON encoder (rpc/json_writer.h, rpc/tx_json_writer.h)
// against the UniValue trees it replaces in getblock: for every transaction
// of real mainnet blocks, of scripts of every output type, and of getblock 2
// and 3 through the method table, the text must be byte for byte what
// UniValue::write() gives for the tree of TxToJSON / ScriptPubKeyToJSON.
#include "consensus/tx_check.h"
#include "primitives/block.h"
#include "rpc/context.h"
#include "rpc/json_writer.h"
#include "rpc/methods/register.h"
#include "rpc/server.h"
#include "rpc/tx_json.h"
#include "rpc/tx_json_writer.h"
#include "script/destination.h"
#include "util/hex.h"

#include "test/util/blkfile.h"
#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"
#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

namespace {

std::vector<Block> MainnetBlocks()
{
    std::vector<Block> blocks;
    {
        const std::string raw = ReadVectorFile("blocks/mainnet-413567.raw");
        Reader r(AsBytes(raw));
        blocks.push_back(DeserializeBlock(r));
    }
    for (const char* file : {"blocks/mainnet-1-255.blk.bz2", "blocks/mainnet-277647.blk.bz2"}) {
        for (const Bytes& raw : SplitBlkFile(ReadBzip2VectorFile(file), MAINNET_MAGIC)) {
            Reader r(raw);
            blocks.push_back(DeserializeBlock(r));
        }
    }
    return blocks;
}

/** Made-up spent coins for `tx`, so that "fee" and "prevout" are written:
 *  scripts taken in turn from `scripts` (real outputs, of every type seen),
 *  values that leave a fee of 1,234 satoshis (the first input carries it). */
std::vector<Coin> FakeSpent(const Transaction& tx, const std::vector<Script>& scripts, size_t& next)
{
    std::vector<Coin> coins;
    for (size_t i = 0; i < tx.vin.size(); ++i) {
        Coin c;
        c.out.script_pubkey = scripts[next++ % scripts.size()];
        c.out.value = i == 0 ? tx.GetValueOut() + 1234 : 0;
        c.height = uint32_t(100 + i);
        c.coinbase = i % 2 == 1;
        coins.push_back(c);
    }
    return coins;
}

std::string WriterText(const Transaction& tx, ChainType chain, const TxJsonOptions& options)
{
    std::string out;
    JsonWriter w(out);
    WriteTxJson(w, tx, chain, options);
    return out;
}

std::string SpkText(const Script& script, ChainType chain)
{
    std::string out;
    JsonWriter w(out);
    WriteScriptPubKeyJson(w, script, chain);
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(json_writer_tests)

BOOST_AUTO_TEST_CASE(strings_numbers_and_structure)
{
    // Every byte, alone and between others, escaped as UniValue does.
    for (int c = 0; c < 256; ++c) {
        const std::string s(1, char(c));
        std::string out;
        AppendJsonString(out, s);
        BOOST_CHECK_EQUAL(out, UniValue(s).write());
        const std::string mixed = "a" + s + "b\"\\\n" + s;
        out.clear();
        AppendJsonString(out, mixed);
        BOOST_CHECK_EQUAL(out, UniValue(mixed).write());
    }
    // Amounts as ValueFromAmount, integers as UniValue.
    for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{99'999'999}, int64_t{100'000'000}, int64_t{-100'000'001},
                      int64_t{2'100'000'000'000'000}, std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
        std::string out;
        JsonWriter w(out);
        w.BeginArray();
        w.Amount(v);
        w.Int(v);
        w.UInt(uint64_t(v));
        w.EndArray();
        UniValue ref(UniValue::VARR);
        ref.push_back(ValueFromAmount(v));
        ref.push_back(v);
        ref.push_back(uint64_t(v));
        BOOST_CHECK_EQUAL(out, ref.write());
    }
    // Nesting, commas, empty containers, raw values, hashes and hex.
    const uint256 h = uint256::FromHex("00000000000000000237f0b2a5f47e8b1ac42a2d2b2e8e6f0b3d2a1b9e1c8d7f").value();
    std::string out;
    JsonWriter w(out);
    w.BeginObject();
    w.Key("a");
    w.BeginArray();
    w.EndArray();
    w.Key("b\"");
    w.BeginObject();
    w.EndObject();
    w.Key("c");
    w.BeginArray();
    w.Null();
    w.Bool(true);
    w.Bool(false);
    w.Hash(h);
    w.Hex(Bytes{0x00, 0xab, 0xff});
    w.Value(UniValue(UniValue::VOBJ));
    w.String("x\ty");
    w.EndArray();
    w.EndObject();
    UniValue ref(UniValue::VOBJ);
    ref.pushKV("a", UniValue(UniValue::VARR));
    ref.pushKV("b\"", UniValue(UniValue::VOBJ));
    UniValue c(UniValue::VARR);
    c.push_back(UniValue());
    c.push_back(true);
    c.push_back(false);
    c.push_back(h.GetHex());
    c.push_back("00abff");
    c.push_back(UniValue(UniValue::VOBJ));
    c.push_back("x\ty");
    ref.pushKV("c", c);
    BOOST_CHECK_EQUAL(out, ref.write());
    // Pre-serialized text comes back unchanged from UniValue::write.
    BOOST_CHECK_EQUAL(JsonTextValue("{\"k\":[1,2]}").write(), "{\"k\":[1,2]}");
}

BOOST_AUTO_TEST_CASE(script_pubkeys_of_every_type)
{
    const Key key = TestKey(3);
    const PubKey pub = key.GetPubKey();
    const Bytes comp(pub.begin(), pub.end());
    Bytes uncomp(65, 0x04);
    std::copy(comp.begin() + 1, comp.end(), uncomp.begin() + 1);
    Bytes hybrid = uncomp;
    hybrid[0] = 0x06;
    std::vector<Script> scripts{
        Script{},
        OpTrueScript(),
        P2WSHOpTrueScript(),
        P2PKHScript(key),
        P2WPKHScript(key),
        P2TRScript(key),
        Script(ParseHex("5120" + std::string(64, 'f'))), // taproot, not a point: addr()
        Script(ParseHex("21" + HexStr(comp) + "ac")),    // P2PK
        Script(ParseHex("41" + HexStr(uncomp) + "ac")),
        Script(ParseHex("41" + HexStr(hybrid) + "ac")), // hybrid: raw()
        Script(ParseHex("5121" + HexStr(comp) + "41" + HexStr(uncomp) + "52ae")), // 1-of-2 multisig
        Script(ParseHex("a914" + std::string(40, '1') + "87")),                   // P2SH
        Script(ParseHex("0020" + std::string(64, '2'))),                          // P2WSH
        Script(ParseHex("51024e73")),                                             // anchor
        Script(ParseHex("5210" + std::string(32, '3'))),                          // witness v2
        Script(ParseHex("6a0b68656c6c6f20776f726c64")),                           // OP_RETURN
        Script(ParseHex("6a4c")),                                                 // truncated push
        Script(ParseHex("ff00ba")),                                               // unknown opcodes
    };
    for (const ChainType chain : {ChainType::MAIN, ChainType::TESTNET, ChainType::REGTEST}) {
        for (const Script& s : scripts) {
            BOOST_CHECK_EQUAL(SpkText(s, chain), ScriptPubKeyToJSON(s, chain).write());
        }
    }
}

BOOST_AUTO_TEST_CASE(every_mainnet_transaction)
{
    const std::vector<Block> blocks = MainnetBlocks();
    BOOST_REQUIRE_GE(blocks.size(), 3u);
    std::vector<Script> scripts;
    for (const Block& b : blocks) {
        for (const TransactionRef& tx : b.vtx) {
            for (const TxOut& out : tx->vout) scripts.push_back(out.script_pubkey);
        }
    }
    size_t next = 0, checked = 0;
    for (const Block& b : blocks) {
        for (const TransactionRef& tx : b.vtx) {
            TxJsonOptions plain;
            BOOST_REQUIRE_EQUAL(WriterText(*tx, ChainType::MAIN, plain), TxToJSON(*tx, ChainType::MAIN, plain).write());
            plain.include_hex = false;
            BOOST_REQUIRE_EQUAL(WriterText(*tx, ChainType::MAIN, plain), TxToJSON(*tx, ChainType::MAIN, plain).write());
            if (tx->IsCoinBase()) continue;
            const std::vector<Coin> spent = FakeSpent(*tx, scripts, next);
            for (const TxVerbosity v : {TxVerbosity::SHOW_DETAILS, TxVerbosity::SHOW_DETAILS_AND_PREVOUT}) {
                TxJsonOptions options;
                options.spent = &spent;
                options.verbosity = v;
                BOOST_REQUIRE_EQUAL(WriterText(*tx, ChainType::MAIN, options), TxToJSON(*tx, ChainType::MAIN, options).write());
            }
            ++checked;
        }
    }
    ReportCases("mainnet transactions (json writer)", checked);
    BOOST_CHECK_GT(checked, 1500u);
}

BOOST_AUTO_TEST_CASE(block_413567_at_verbosity_2_and_3)
{
    const std::string raw = ReadVectorFile("blocks/mainnet-413567.raw");
    Reader r(AsBytes(raw));
    const Block block = DeserializeBlock(r);
    std::vector<Script> scripts;
    for (const TransactionRef& tx : block.vtx) scripts.push_back(tx->vout[0].script_pubkey);
    BlockUndo undo;
    size_t next = 0;
    for (size_t i = 1; i < block.vtx.size(); ++i) undo.txundo.push_back({FakeSpent(*block.vtx[i], scripts, next)});

    UniValue header(UniValue::VOBJ);
    header.pushKV("hash", block.GetHash().GetHex());
    header.pushKV("weight", int64_t{3993159});
    for (const BlockUndo* u : {static_cast<const BlockUndo*>(nullptr), static_cast<const BlockUndo*>(&undo)}) {
        for (const TxVerbosity v : {TxVerbosity::SHOW_DETAILS, TxVerbosity::SHOW_DETAILS_AND_PREVOUT}) {
            UniValue ref = header;
            UniValue txs(UniValue::VARR);
            TxJsonOptions options;
            options.verbosity = v;
            for (size_t i = 0; i < block.vtx.size(); ++i) {
                options.spent = (u && i > 0) ? &u->txundo[i - 1].prevout : nullptr;
                txs.push_back(TxToJSON(*block.vtx[i], ChainType::MAIN, options));
            }
            ref.pushKV("tx", txs);
            BOOST_CHECK(BlockToJsonText(header, block, u, v, ChainType::MAIN) == ref.write());
        }
    }
}

BOOST_AUTO_TEST_CASE(getblock_text_equals_tree)
{
    // A regtest chain whose last block spends outputs of several types, so
    // that verbosity 3 shows prevouts of each.
    TempDir dir{"cairn_json_writer"};
    const std::unique_ptr<const ChainParams> params{CreateChainParams(ChainType::REGTEST)};
    ChainBuilder builder{*params};
    TestNode node{*params, dir.path()};
    RpcTable table;
    RpcContext ctx;
    ctx.chainman = &node.Chainman();
    ctx.chain = ChainType::REGTEST;
    RegisterBlockRpcCommands(table, ctx);
    table.SetRpcWarmupFinished();

    const Key key = TestKey(21);
    const std::vector<Script> types{P2WPKHScript(key), P2PKHScript(key), P2TRScript(key), P2WSHOpTrueScript(), OpTrueScript()};
    std::vector<Block> chain;
    for (const Script& s : types) {
        BlockOptions options;
        options.coinbase_script = s;
        chain.push_back(builder.CreateBlock(chain.empty() ? builder.GenesisHash() : chain.back().GetHash(), {}, options));
    }
    for (const Block& b : builder.CreateChain(chain.back().GetHash(), 100)) chain.push_back(b);
    std::vector<Utxo> coins;
    for (size_t i = 0; i < types.size(); ++i) coins.push_back(OutputOf(*chain[i].vtx[0]));
    std::vector<TxOut> outs;
    for (const Script& s : types) outs.push_back(TxOut{Amount{10'000'000}, s});
    outs.push_back(TxOut{Amount{0}, Script(ParseHex("6a0474657374"))});
    MutableTransaction spend = CreateSpend(coins, outs);
    SignTransaction(spend, coins, {key});
    chain.push_back(builder.CreateBlock(chain.back().GetHash(), {spend}));
    BOOST_REQUIRE_EQUAL(node.SubmitAll(chain), "");

    for (const std::string& hash : {chain.back().GetHash().GetHex(), chain.front().GetHash().GetHex(), builder.GenesisHash().GetHex()}) {
        for (int verbosity : {0, 1, 2, 3}) {
            JsonRpcRequest request;
            request.method = "getblock";
            BOOST_REQUIRE(request.params.read("[\"" + hash + "\"," + std::to_string(verbosity) + "]"));
            const UniValue tree = table.Execute(request);
            request.json_text_ok = true;
            const UniValue text = table.Execute(request);
            BOOST_CHECK(text.write() == tree.write());
            // In-process callers still get a tree they can inspect.
            if (verbosity >= 1) BOOST_CHECK(tree.isObject());
            if (verbosity >= 2) {
                BOOST_CHECK(text.isNum()); // the pre-serialized text
                UniValue parsed;
                BOOST_REQUIRE(parsed.read(text.getValStr()));
                BOOST_CHECK(parsed.write() == tree.write());
            }
        }
    }
    // The spending transaction's prevouts are all there at verbosity 3.
    JsonRpcRequest request;
    request.method = "getblock";
    BOOST_REQUIRE(request.params.read("[\"" + chain.back().GetHash().GetHex() + "\",3]"));
    const UniValue b3 = table.Execute(request);
    const UniValue& vin = b3["tx"][1]["vin"];
    BOOST_REQUIRE_EQUAL(vin.size(), types.size());
    BOOST_CHECK_EQUAL(vin[2]["prevout"]["scriptPubKey"]["type"].get_str(), "witness_v1_taproot");
}

BOOST_AUTO_TEST_SUITE_END()
