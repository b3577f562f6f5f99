// The block and raw-transaction RPCs through the method table, on a regtest
// chain built in the test: a P2WPKH coinbase at height 1 matured by 100
// blocks, then block 102 spending it with a 1,000-satoshi fee. Expected
// values are derived by hand from what the test built (sizes, fees, UTXO
// deltas), and errors are Bitcoin Core's codes and messages.
#include "consensus/tx_check.h"
#include "rpc/context.h"
#include "rpc/methods/register.h"
#include "rpc/server.h"
#include "rpc/tx_json.h"
#include "util/hex.h"

#include "test/util/chain_builder.h"
#include "test/util/tmpdir.h"
#include "test/util/vectors.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

namespace {

struct RpcEnv {
    TempDir dir{"cairn_blocks_rpc"};
    std::unique_ptr<const ChainParams> params{CreateChainParams(ChainType::REGTEST)};
    ChainBuilder builder{*params};
    TestNode node{*params, dir.path()};
    RpcTable table;
    RpcContext ctx;

    Key key{TestKey(11)};
    std::vector<Block> main_chain; // heights 1..102
    MutableTransaction spend;      // in block 102

    RpcEnv()
    {
        ctx.chainman = &node.Chainman();
        ctx.chain = ChainType::REGTEST;
        RegisterBlockRpcCommands(table, ctx);
        RegisterRawTransactionRpcCommands(table, ctx);
        table.SetRpcWarmupFinished();

        BlockOptions to_key;
        to_key.coinbase_script = P2WPKHScript(key);
        main_chain.push_back(builder.CreateBlock(builder.GenesisHash(), {}, to_key));
        for (const Block& b : builder.CreateChain(main_chain.back().GetHash(), 100)) main_chain.push_back(b);
        const Utxo coin = OutputOf(*main_chain[0].vtx[0]);
        spend = SpendTo(coin, OpTrueScript(), coin.out.value - 1000);
        SignTransaction(spend, {coin}, {key});
        main_chain.push_back(builder.CreateBlock(main_chain.back().GetHash(), {spend}));
        BOOST_REQUIRE_EQUAL(node.SubmitAll(main_chain), "");
        BOOST_REQUIRE_EQUAL(node->Height(), 102);
    }

    UniValue Call(const std::string& method, const std::string& params_json = "[]")
    {
        JsonRpcRequest request;
        request.method = method;
        BOOST_REQUIRE(request.params.read(params_json));
        return table.Execute(request);
    }

    /** The error of a call that must fail, as "code: message". */
    std::string Error(const std::string& method, const std::string& params_json)
    {
        try {
            Call(method, params_json);
        } catch (const RpcError& e) {
            return std::to_string(e.Code()) + ": " + e.what();
        }
        return "no error";
    }

    const Block& At(int height) const { return main_chain.at(height - 1); }
    std::string Hash(int height) const { return At(height).GetHash().GetHex(); }
    std::string Q(const std::string& s) const { return "\"" + s + "\""; }
};

std::vector<std::string> Keys(const UniValue& obj) { return obj.getKeys(); }

} // namespace

BOOST_AUTO_TEST_SUITE(blocks_rpc_tests)

BOOST_AUTO_TEST_CASE(getblockheader_and_getblock)
{
    RpcEnv env;
    const std::string h101 = env.Hash(101), h102 = env.Hash(102);

    // Header: 80 bytes of hex, and the verbose object in Core's order.
    Bytes raw;
    VectorWriter w(raw);
    SerializeBlockHeader(w, env.At(101).header());
    BOOST_CHECK_EQUAL(env.Call("getblockheader", "[" + env.Q(h101) + ", false]").get_str(), HexStr(raw));
    const UniValue header = env.Call("getblockheader", "[" + env.Q(h101) + "]");
    const std::vector<std::string> header_keys{"hash", "confirmations", "height", "version", "versionHex", "merkleroot",
                                               "time", "mediantime", "nonce", "bits", "target", "difficulty",
                                               "chainwork", "nTx", "previousblockhash", "nextblockhash"};
    BOOST_CHECK(Keys(header) == header_keys);
    BOOST_CHECK_EQUAL(header["confirmations"].getValStr(), "2");
    BOOST_CHECK_EQUAL(header["height"].getValStr(), "101");
    BOOST_CHECK_EQUAL(header["versionHex"].get_str(), "20000000");
    BOOST_CHECK_EQUAL(header["bits"].get_str(), "207fffff");
    BOOST_CHECK_EQUAL(header["target"].get_str(), "7fffff0000000000000000000000000000000000000000000000000000000000");
    BOOST_CHECK_EQUAL(header["difficulty"].getValStr(), "4.656542373906925e-10");
    // Regtest work per block is 2: chain work at height 101 is 102 * 2 = 0xcc.
    BOOST_CHECK_EQUAL(header["chainwork"].get_str(), std::string(62, '0') + "cc");
    BOOST_CHECK_EQUAL(header["previousblockhash"].get_str(), env.Hash(100));
    BOOST_CHECK_EQUAL(header["nextblockhash"].get_str(), h102);
    // The genesis block has no previous block; the tip has no next one.
    const UniValue genesis = env.Call("getblockheader", "[" + env.Q(env.builder.GenesisHash().GetHex()) + "]");
    BOOST_CHECK(genesis["previousblockhash"].isNull());
    BOOST_CHECK_EQUAL(genesis["confirmations"].getValStr(), "103");
    BOOST_CHECK(env.Call("getblockheader", "[" + env.Q(h102) + "]")["nextblockhash"].isNull());

    // getblock 0: the block as stored.
    BOOST_CHECK_EQUAL(env.Call("getblock", "[" + env.Q(h102) + ", 0]").get_str(), HexStr(SerializeBlockBytes(env.At(102))));
    // 1: the header, sizes, then the txids.
    const UniValue b1 = env.Call("getblock", "[" + env.Q(h102) + "]");
    std::vector<std::string> block_keys = header_keys;
    block_keys.pop_back(); // no nextblockhash at the tip
    for (const char* k : {"strippedsize", "size", "weight", "tx"}) block_keys.push_back(k);
    BOOST_CHECK(Keys(b1) == block_keys);
    const Block& block = env.At(102);
    const size_t stripped = SerializeBlockBytes(block, false).size(), full = SerializeBlockBytes(block, true).size();
    BOOST_CHECK_EQUAL(b1["strippedsize"].getValStr(), std::to_string(stripped));
    BOOST_CHECK_EQUAL(b1["size"].getValStr(), std::to_string(full));
    BOOST_CHECK_EQUAL(b1["weight"].getValStr(), std::to_string(stripped * 3 + full));
    BOOST_CHECK_EQUAL(b1["nTx"].getValStr(), "2");
    BOOST_CHECK_EQUAL(b1["tx"][1].get_str(), env.spend.GetTxid().GetHex());
    // "verbose" as a bool still means 1 (and false 0).
    BOOST_CHECK_EQUAL(env.Call("getblock", "[" + env.Q(h102) + ", true]").write(), b1.write());
    BOOST_CHECK(env.Call("getblock", "[" + env.Q(h102) + ", false]").isStr());

    // 2: full transactions, the fee from undo data; none for the coinbase.
    const UniValue b2 = env.Call("getblock", "[" + env.Q(h102) + ", 2]");
    const UniValue& cb = b2["tx"][0];
    BOOST_CHECK(cb["fee"].isNull());
    BOOST_CHECK(cb["vin"][0]["coinbase"].isStr());
    // The coinbase carries the witness reserved value.
    BOOST_CHECK_EQUAL(cb["vin"][0]["txinwitness"][0].get_str(), std::string(64, '0'));
    const UniValue& tx2 = b2["tx"][1];
    BOOST_CHECK_EQUAL(tx2["fee"].getValStr(), "0.00001000");
    BOOST_CHECK_EQUAL(tx2["hex"].get_str(), HexStr(SerializeTransactionBytes(env.spend)));
    BOOST_CHECK(tx2["vin"][0]["prevout"].isNull());
    BOOST_CHECK(tx2["blockhash"].isNull());
    // 3: and each input's prevout.
    const UniValue b3 = env.Call("getblock", "[" + env.Q(h102) + ", 3]");
    const UniValue& prevout = b3["tx"][1]["vin"][0]["prevout"];
    BOOST_CHECK_EQUAL(prevout["generated"].write(), "true");
    BOOST_CHECK_EQUAL(prevout["height"].getValStr(), "1");
    BOOST_CHECK_EQUAL(prevout["value"].getValStr(), "50.00000000");
    BOOST_CHECK_EQUAL(prevout["scriptPubKey"]["type"].get_str(), "witness_v0_keyhash");
    // The genesis block has no undo data: no fee, no prevout, no error.
    const UniValue g3 = env.Call("getblock", "[" + env.Q(env.builder.GenesisHash().GetHex()) + ", 3]");
    BOOST_CHECK(g3["tx"][0]["fee"].isNull());

    // Errors, as Core reports them.
    const std::string unknown = std::string(63, '0') + "1";
    BOOST_CHECK_EQUAL(env.Error("getblock", "[" + env.Q(unknown) + "]"), "-5: Block not found");
    BOOST_CHECK_EQUAL(env.Error("getblockheader", "[" + env.Q(unknown) + "]"), "-5: Block not found");
    BOOST_CHECK_EQUAL(env.Error("getblock", "[\"abc\"]"), "-8: blockhash must be of length 64 (not 3, for 'abc')");
    BOOST_CHECK_EQUAL(env.Error("getblockheader", "[\"abc\"]"), "-8: hash must be of length 64 (not 3, for 'abc')");
    BOOST_CHECK_EQUAL(env.Error("getblock", "[" + env.Q(h102) + ", \"1\"]"),
                      "-3: JSON value of type string is not of expected type number");

    // A block known only by its header has no data.
    const Block orphan = env.builder.CreateBlock(env.At(102).GetHash());
    BlockValidationState state;
    BOOST_REQUIRE(env.node->ProcessNewBlockHeaders({orphan.header()}, state));
    BOOST_CHECK_EQUAL(env.Error("getblock", "[" + env.Q(orphan.GetHash().GetHex()) + "]"),
                      "-1: Block not available (not fully downloaded)");
    BOOST_CHECK_EQUAL(env.Call("getblockheader", "[" + env.Q(orphan.GetHash().GetHex()) + "]")["confirmations"].getValStr(), "-1");
}

BOOST_AUTO_TEST_CASE(getrawtransaction_and_decode)
{
    RpcEnv env;
    const std::string txid = env.spend.GetTxid().GetHex(), h102 = env.Hash(102), h101 = env.Hash(101);

    BOOST_CHECK_EQUAL(env.Error("getrawtransaction", "[" + env.Q(txid) + "]"),
                      "-5: No such mempool transaction. Use -txindex or provide a block hash to enable blockchain "
                      "transaction queries. Use gettransaction for wallet transactions.");
    BOOST_CHECK_EQUAL(env.Error("getrawtransaction", "[" + env.Q(txid) + ", 0, " + env.Q(h101) + "]"),
                      "-5: No such transaction found in the provided block. Use gettransaction for wallet transactions.");
    BOOST_CHECK_EQUAL(env.Error("getrawtransaction", "[" + env.Q(txid) + ", 0, " + env.Q(std::string(64, '1')) + "]"),
                      "-5: Block hash not found");
    BOOST_CHECK_EQUAL(env.Error("getrawtransaction", "[" + env.Q(env.params->genesis.merkle_root.GetHex()) + "]"),
                      "-5: The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved");
    BOOST_CHECK_EQUAL(env.Error("getrawtransaction", "[\"00\"]"), "-8: parameter 1 must be of length 64 (not 2, for '00')");

    const std::string hex = HexStr(SerializeTransactionBytes(env.spend));
    BOOST_CHECK_EQUAL(env.Call("getrawtransaction", "[" + env.Q(txid) + ", 0, " + env.Q(h102) + "]").get_str(), hex);
    BOOST_CHECK_EQUAL(env.Call("getrawtransaction", "[" + env.Q(txid) + ", false, " + env.Q(h102) + "]").get_str(), hex);

    const UniValue v1 = env.Call("getrawtransaction", "[" + env.Q(txid) + ", true, " + env.Q(h102) + "]");
    const std::vector<std::string> v1_keys{"in_active_chain", "txid", "hash", "version", "size", "vsize", "weight",
                                           "locktime", "vin", "vout", "hex", "blockhash", "confirmations", "time",
                                           "blocktime"};
    BOOST_CHECK(Keys(v1) == v1_keys);
    BOOST_CHECK_EQUAL(v1["in_active_chain"].write(), "true");
    BOOST_CHECK_EQUAL(v1["confirmations"].getValStr(), "1");
    BOOST_CHECK_EQUAL(v1["blocktime"].getValStr(), std::to_string(env.At(102).time));
    BOOST_CHECK_EQUAL(v1["hex"].get_str(), hex);

    const UniValue v2 = env.Call("getrawtransaction", "[" + env.Q(txid) + ", 2, " + env.Q(h102) + "]");
    BOOST_CHECK_EQUAL(v2["fee"].getValStr(), "0.00001000");
    BOOST_CHECK_EQUAL(v2["vin"][0]["prevout"]["height"].getValStr(), "1");
    // The coinbase has nothing spent: no fee even at verbosity 2.
    const std::string cb = env.At(102).vtx[0]->GetTxid().GetHex();
    BOOST_CHECK(env.Call("getrawtransaction", "[" + env.Q(cb) + ", 2, " + env.Q(h102) + "]")["fee"].isNull());

    // decoderawtransaction: the same object without hex, fee or block context.
    const UniValue decoded = env.Call("decoderawtransaction", "[" + env.Q(hex) + "]");
    const std::vector<std::string> decoded_keys{"txid", "hash", "version", "size", "vsize", "weight", "locktime", "vin", "vout"};
    BOOST_CHECK(Keys(decoded) == decoded_keys);
    BOOST_CHECK_EQUAL(decoded["vin"][0]["txinwitness"].size(), 2U);
    BOOST_CHECK_EQUAL(env.Call("decoderawtransaction", "[" + env.Q(hex) + ", true]")["txid"].get_str(), txid);
    BOOST_CHECK_EQUAL(env.Error("decoderawtransaction", "[" + env.Q(hex) + ", false]"), "-22: TX decode failed");
    BOOST_CHECK_EQUAL(env.Error("decoderawtransaction", "[\"00\"]"), "-22: TX decode failed");
    BOOST_CHECK_EQUAL(env.Error("decoderawtransaction", "[\"xyz\"]"), "-22: TX decode failed");
}

BOOST_AUTO_TEST_CASE(decodescript_core_vectors)
{
    RpcEnv env;
    // Bitcoin Core's decodescript outputs (regtest), member for member.
    UniValue tests;
    BOOST_REQUIRE(tests.read(ReadVectorFile("core/rpc_decodescript.json")));
    for (size_t i = 0; i < tests.size(); ++i) {
        const UniValue got = env.Call("decodescript", "[" + env.Q(tests[i][0].get_str()) + "]");
        const UniValue& exp = tests[i][1];
        BOOST_TEST_CONTEXT("script " << tests[i][0].get_str())
        {
            std::vector<std::string> got_keys = got.getKeys(), exp_keys = exp.getKeys();
            std::sort(got_keys.begin(), got_keys.end());
            std::sort(exp_keys.begin(), exp_keys.end());
            BOOST_CHECK(got_keys == exp_keys);
            for (const std::string& k : exp.getKeys()) {
                if (k == "segwit") {
                    for (const std::string& sk : exp[k].getKeys()) BOOST_CHECK_EQUAL(got[k][sk].write(), exp[k][sk].write());
                    BOOST_CHECK_EQUAL(got[k].size(), exp[k].size());
                } else {
                    BOOST_CHECK_EQUAL(got[k].write(), exp[k].write());
                }
            }
        }
    }

    // A 1-of-2 multisig of compressed keys: P2SH, and P2WSH with a wsh(multi()) descriptor.
    const std::string g1 = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    const std::string g2 = "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5";
    const UniValue ms = env.Call("decodescript", "[\"5121" + g1 + "21" + g2 + "52ae\"]");
    const std::vector<std::string> ms_keys{"asm", "desc", "type", "p2sh", "segwit"};
    BOOST_CHECK(Keys(ms) == ms_keys);
    BOOST_CHECK_EQUAL(ms["type"].get_str(), "multisig");
    BOOST_CHECK_EQUAL(ms["asm"].get_str(), "1 " + g1 + " " + g2 + " 2 OP_CHECKMULTISIG");
    const std::vector<std::string> sw_keys{"asm", "desc", "hex", "address", "type", "p2sh-segwit"};
    BOOST_CHECK(Keys(ms["segwit"]) == sw_keys);
    BOOST_CHECK_EQUAL(ms["segwit"]["desc"].get_str(), "wsh(multi(1," + g1 + "," + g2 + "))#25mv9evd");
    // P2PKH: wrapped as P2WPKH of the same hash.
    const UniValue pkh = env.Call("decodescript", "[\"76a914751e76e8199196d454941c45d1b3a323f1433bd688ac\"]");
    BOOST_CHECK_EQUAL(pkh["segwit"]["type"].get_str(), "witness_v0_keyhash");
    BOOST_CHECK_EQUAL(pkh["segwit"]["hex"].get_str(), "0014751e76e8199196d454941c45d1b3a323f1433bd6");
    // An uncompressed key cannot go into segwit: P2SH only.
    const std::string u1 = "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108"
                           "a8fd17b448a68554199c47d08ffb10d4b8";
    const UniValue pk_u = env.Call("decodescript", "[\"41" + u1 + "ac\"]");
    BOOST_CHECK(pk_u["p2sh"].isStr());
    BOOST_CHECK(pk_u["segwit"].isNull());
    // An empty script is a valid script.
    BOOST_CHECK_EQUAL(env.Call("decodescript", "[\"\"]")["type"].get_str(), "nonstandard");
    BOOST_CHECK_EQUAL(env.Error("decodescript", "[\"0g\"]"), "-8: argument must be hexadecimal string (not '0g')");
}

BOOST_AUTO_TEST_CASE(getchaintips_statuses)
{
    RpcEnv env;
    // Active: 0..102. A fork from 101 with three blocks takes over, leaving
    // 102 a valid fork.
    const std::vector<Block> fork = env.builder.CreateChain(env.At(101).GetHash(), 3);
    BOOST_REQUIRE_EQUAL(env.node.SubmitAll(fork), "");
    BOOST_REQUIRE(env.node->TipHash() == fork.back().GetHash());
    // An invalid branch from fork[1] (height 103): a coinbase paying too much, then a child.
    BlockOptions greedy;
    greedy.coinbase_value = 100 * COIN;
    const Block bad = env.builder.CreateBlock(fork[1].GetHash(), {}, greedy);
    const Block bad_child = env.builder.CreateBlock(bad.GetHash());
    env.node.Submit(bad);
    env.node.Submit(bad_child);
    // A header with no data on the tip.
    const Block header_only = env.builder.CreateBlock(fork.back().GetHash());
    BlockValidationState state;
    BOOST_REQUIRE(env.node->ProcessNewBlockHeaders({header_only.header()}, state));
    // Data on a branch that never had more work: valid-headers.
    const Block side = env.builder.CreateBlock(env.At(100).GetHash());
    BOOST_REQUIRE_EQUAL(env.node.Submit(side), "");

    const UniValue tips = env.Call("getchaintips");
    std::map<std::string, std::string> by_hash;
    for (size_t i = 0; i < tips.size(); ++i) {
        const UniValue& t = tips[i];
        by_hash[t["hash"].get_str()] = t["height"].getValStr() + " " + t["branchlen"].getValStr() + " " + t["status"].get_str();
        const std::vector<std::string> keys{"height", "hash", "branchlen", "status"};
        BOOST_CHECK(Keys(t) == keys);
        // Highest first.
        if (i > 0) BOOST_CHECK_GE(tips[i - 1]["height"].get_int(), t["height"].get_int());
    }
    BOOST_CHECK_EQUAL(tips.size(), 5U);
    BOOST_CHECK_EQUAL(by_hash[fork.back().GetHash().GetHex()], "104 0 active");
    BOOST_CHECK_EQUAL(by_hash[env.Hash(102)], "102 1 valid-fork");
    BOOST_CHECK_EQUAL(by_hash[bad_child.GetHash().GetHex()], "105 2 invalid");
    BOOST_CHECK_EQUAL(by_hash[header_only.GetHash().GetHex()], "105 1 headers-only");
    BOOST_CHECK_EQUAL(by_hash[side.GetHash().GetHex()], "101 1 valid-headers");

    // Block 102 left the active chain: confirmations -1, getrawtransaction
    // says so (confirmations 0, in_active_chain false).
    BOOST_CHECK_EQUAL(env.Call("getblock", "[" + env.Q(env.Hash(102)) + "]")["confirmations"].getValStr(), "-1");
    const UniValue tx = env.Call("getrawtransaction", "[" + env.Q(env.spend.GetTxid().GetHex()) + ", 1, " + env.Q(env.Hash(102)) + "]");
    BOOST_CHECK_EQUAL(tx["in_active_chain"].write(), "false");
    BOOST_CHECK_EQUAL(tx["confirmations"].getValStr(), "0");
    BOOST_CHECK(tx["blocktime"].isNull());
}

BOOST_AUTO_TEST_CASE(getchaintxstats_window)
{
    RpcEnv env;
    const UniValue s = env.Call("getchaintxstats");
    const std::vector<std::string> keys{"time", "txcount", "window_final_block_hash", "window_final_block_height",
                                        "window_block_count", "window_interval", "window_tx_count", "txrate"};
    BOOST_CHECK(Keys(s) == keys);
    // 103 coinbases and one spend; the default window is height - 1 blocks.
    BOOST_CHECK_EQUAL(s["txcount"].getValStr(), "104");
    BOOST_CHECK_EQUAL(s["window_block_count"].getValStr(), "101");
    BOOST_CHECK_EQUAL(s["window_tx_count"].getValStr(), "102"); // 104 up to 102, minus 2 up to block 1
    // Each block is one second after its parent. The window runs from the
    // median time past of block 1 (block 1's own time: the later of two) to
    // that of block 102 (block 97's time): 96 seconds.
    BOOST_CHECK_EQUAL(s["window_interval"].getValStr(), "96");
    BOOST_CHECK_EQUAL(s["txrate"].getValStr(), "1.0625");

    const UniValue zero = env.Call("getchaintxstats", "[0]");
    BOOST_CHECK(zero["window_interval"].isNull());
    BOOST_CHECK_EQUAL(zero["window_block_count"].getValStr(), "0");
    const UniValue at50 = env.Call("getchaintxstats", "[10, " + env.Q(env.Hash(50)) + "]");
    BOOST_CHECK_EQUAL(at50["window_final_block_height"].getValStr(), "50");
    BOOST_CHECK_EQUAL(at50["txcount"].getValStr(), "51");
    BOOST_CHECK_EQUAL(at50["window_tx_count"].getValStr(), "10");

    BOOST_CHECK_EQUAL(env.Error("getchaintxstats", "[102]"),
                      "-8: Invalid block count: should be between 0 and the block's height - 1");
    BOOST_CHECK_EQUAL(env.Error("getchaintxstats", "[-1]"),
                      "-8: Invalid block count: should be between 0 and the block's height - 1");
    BOOST_CHECK_EQUAL(env.Error("getchaintxstats", "[1, " + env.Q(std::string(64, '2')) + "]"), "-5: Block not found");
    const Block side = env.builder.CreateBlock(env.At(100).GetHash());
    BOOST_REQUIRE_EQUAL(env.node.Submit(side), "");
    BOOST_CHECK_EQUAL(env.Error("getchaintxstats", "[1, " + env.Q(side.GetHash().GetHex()) + "]"),
                      "-8: Block is not in main chain");
}

BOOST_AUTO_TEST_CASE(getblockstats_values)
{
    RpcEnv env;
    const UniValue s = env.Call("getblockstats", "[102]");
    const Transaction tx(env.spend);
    const int64_t weight = int64_t(tx.GetStrippedSize()) * 3 + int64_t(tx.GetTotalSize());
    const int64_t size = int64_t(tx.GetTotalSize());
    const int64_t feerate = 1000 * 4 / weight;
    // All of Core's statistics, alphabetically.
    const std::vector<std::string> keys{
        "avgfee", "avgfeerate", "avgtxsize", "blockhash", "feerate_percentiles", "height", "ins", "maxfee", "maxfeerate",
        "maxtxsize", "medianfee", "mediantime", "mediantxsize", "minfee", "minfeerate", "mintxsize", "outs", "subsidy",
        "swtotal_size", "swtotal_weight", "swtxs", "time", "total_out", "total_size", "total_weight", "totalfee", "txs",
        "utxo_increase", "utxo_size_inc", "utxo_increase_actual", "utxo_size_inc_actual"};
    BOOST_CHECK(Keys(s) == keys);
    BOOST_CHECK_EQUAL(s["blockhash"].get_str(), env.Hash(102));
    BOOST_CHECK_EQUAL(s["txs"].getValStr(), "2");
    BOOST_CHECK_EQUAL(s["ins"].getValStr(), "1");
    // Coinbase: its output and the witness commitment; the spend: one output.
    BOOST_CHECK_EQUAL(s["outs"].getValStr(), "3");
    BOOST_CHECK_EQUAL(s["totalfee"].getValStr(), "1000");
    BOOST_CHECK_EQUAL(s["avgfee"].getValStr(), "1000");
    BOOST_CHECK_EQUAL(s["minfee"].getValStr(), "1000");
    BOOST_CHECK_EQUAL(s["medianfee"].getValStr(), "1000");
    BOOST_CHECK_EQUAL(s["subsidy"].getValStr(), "5000000000");
    BOOST_CHECK_EQUAL(s["total_out"].getValStr(), std::to_string(50 * COIN - 1000));
    BOOST_CHECK_EQUAL(s["total_weight"].getValStr(), std::to_string(weight));
    BOOST_CHECK_EQUAL(s["total_size"].getValStr(), std::to_string(size));
    BOOST_CHECK_EQUAL(s["swtxs"].getValStr(), "1");
    BOOST_CHECK_EQUAL(s["swtotal_size"].getValStr(), std::to_string(size));
    BOOST_CHECK_EQUAL(s["avgfeerate"].getValStr(), std::to_string(feerate));
    // One transaction: every percentile is its feerate.
    const std::string f = std::to_string(feerate);
    BOOST_CHECK_EQUAL(s["feerate_percentiles"].write(), "[" + f + "," + f + "," + f + "," + f + "," + f + "]");
    // UTXO deltas: outputs cost 8 (value) + 1 (length) + script + 41
    // (outpoint, height, coinbase flag); OP_TRUE outputs 51, the 38-byte
    // commitment 88 (unspendable), the spent P2WPKH output 72.
    BOOST_CHECK_EQUAL(s["utxo_increase"].getValStr(), "2");
    BOOST_CHECK_EQUAL(s["utxo_increase_actual"].getValStr(), "1");
    BOOST_CHECK_EQUAL(s["utxo_size_inc"].getValStr(), "118");
    BOOST_CHECK_EQUAL(s["utxo_size_inc_actual"].getValStr(), "30");

    // By hash, the same; a selection gives just those, sorted.
    BOOST_CHECK_EQUAL(env.Call("getblockstats", "[" + env.Q(env.Hash(102)) + "]").write(), s.write());
    BOOST_CHECK_EQUAL(env.Call("getblockstats", "[102, [\"minfeerate\", \"avgfeerate\", \"height\"]]").write(),
                      "{\"avgfeerate\":" + std::to_string(feerate) + ",\"height\":102,\"minfeerate\":" + std::to_string(feerate) + "}");
    // Coinbase-only blocks and the genesis block (which has no undo data).
    const UniValue g = env.Call("getblockstats", "[0]");
    BOOST_CHECK_EQUAL(g["txs"].getValStr(), "1");
    BOOST_CHECK_EQUAL(g["utxo_increase_actual"].getValStr(), "0");
    BOOST_CHECK_EQUAL(g["feerate_percentiles"].write(), "[0,0,0,0,0]");

    BOOST_CHECK_EQUAL(env.Error("getblockstats", "[102, [\"foo\"]]"), "-8: Invalid selected statistic 'foo'");
    BOOST_CHECK_EQUAL(env.Error("getblockstats", "[-1]"), "-8: Target block height -1 is negative");
    BOOST_CHECK_EQUAL(env.Error("getblockstats", "[103]"), "-8: Target block height 103 after current tip 102");
    BOOST_CHECK_EQUAL(env.Error("getblockstats", "[" + env.Q(std::string(64, '3')) + "]"), "-5: Block not found");
    BOOST_CHECK_EQUAL(env.Error("getblockstats", "[\"x\"]"), "-8: hash_or_height must be of length 64 (not 1, for 'x')");
}

BOOST_AUTO_TEST_SUITE_END()
