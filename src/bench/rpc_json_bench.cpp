// getblock's encoding of a block at verbosity 2 (every transaction decoded)
// on mainnet block 413567: the UniValue tree written out, as getblock did,
// against the streaming writer it uses now. Both give the same bytes
// (test/unit/rpc/json_writer_tests.cpp); the output size is the throughput.
#include "bench/bench.h"
#include "bench/data.h"
#include "primitives/block.h"
#include "rpc/tx_json.h"
#include "rpc/tx_json_writer.h"

#include <stdexcept>

using namespace cairn;

namespace {

Block LoadBlock()
{
    Reader r(bench::Block413567());
    return DeserializeBlock(r);
}

UniValue Header(const Block& block)
{
    UniValue header(UniValue::VOBJ);
    header.pushKV("hash", block.GetHash().GetHex());
    return header;
}

std::string TreeText(const Block& block)
{
    UniValue result = Header(block);
    UniValue txs(UniValue::VARR);
    for (const TransactionRef& tx : block.vtx) txs.push_back(TxToJSON(*tx, ChainType::MAIN));
    result.pushKV("tx", txs);
    return result.write();
}

} // namespace

static void BlockToJsonUniValue413567(bench::State& state)
{
    const Block block = LoadBlock();
    state.SetBytesPerIteration(TreeText(block).size());
    while (state.KeepRunning()) {
        if (TreeText(block).empty()) throw std::runtime_error("empty");
    }
}
CAIRN_BENCH(BlockToJsonUniValue413567);

static void BlockToJsonWriter413567(bench::State& state)
{
    const Block block = LoadBlock();
    const UniValue header = Header(block);
    const std::string text = BlockToJsonText(header, block, nullptr, TxVerbosity::SHOW_DETAILS, ChainType::MAIN);
    if (text != TreeText(block)) throw std::runtime_error("writer and UniValue disagree");
    state.SetBytesPerIteration(text.size());
    while (state.KeepRunning()) {
        if (BlockToJsonText(header, block, nullptr, TxVerbosity::SHOW_DETAILS, ChainType::MAIN).empty()) {
            throw std::runtime_error("empty");
        }
    }
}
CAIRN_BENCH(BlockToJsonWriter413567);
