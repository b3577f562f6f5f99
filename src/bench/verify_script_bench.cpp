// Verifying the input scripts of real mainnet block 413567.
//
// The block does not carry the outputs it spends, but for most inputs the
// scriptSig reveals them: <sig> <pubkey> spends P2PKH to that key, and a
// scriptSig ending in a redeem script spends P2SH to its hash. Inputs whose
// reconstruction verifies are benchmarked; the others (bare P2PK, guesses
// that do not fit) are left out and counted.
#include "bench/bench.h"
#include "bench/data.h"
#include "consensus/script/interpreter.h"
#include "consensus/script/signature_checker.h"
#include "crypto/hash.h"
#include "primitives/block.h"

#include <cstdio>
#include <stdexcept>

using namespace cairn;

namespace {

/** The pushes of a push-only script, or nullopt. */
std::optional<std::vector<ByteSpan>> Pushes(const Script& s)
{
    std::vector<ByteSpan> out;
    size_t pc = 0;
    Opcode op;
    ByteSpan data;
    while (pc < s.size()) {
        if (!s.GetOp(pc, op, data) || op > OP_PUSHDATA4) return std::nullopt;
        out.push_back(data);
    }
    return out;
}

std::optional<Script> GuessSpentScript(const Script& script_sig)
{
    auto pushes = Pushes(script_sig);
    if (!pushes || pushes->size() < 2) return std::nullopt;
    ByteSpan last = pushes->back();
    if (pushes->size() == 2 && (last.size() == 33 || last.size() == 65)) {
        uint160 h = Hash160(last);
        return Script() << OP_DUP << OP_HASH160 << h.span() << OP_EQUALVERIFY << OP_CHECKSIG;
    }
    uint160 h = Hash160(last);
    return Script() << OP_HASH160 << h.span() << OP_EQUAL;
}

struct Input {
    const Transaction* tx;
    unsigned int index;
    Script spent;
    const PrecomputedTxData* txdata;
};

// The rules in force at height 413567: P2SH, BIP 66 strict DER, BIP 65.
constexpr ScriptFlags FLAGS = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_DERSIG | SCRIPT_VERIFY_CHECKLOCKTIMEVERIFY;

bool Verify(const Input& in)
{
    TransactionSignatureChecker checker(*in.tx, in.index, 0, *in.txdata);
    ScriptError err;
    return VerifyScript(in.tx->vin[in.index].script_sig, in.spent, nullptr, FLAGS, checker, &err);
}

} // namespace

static void VerifyScripts413567(bench::State& state)
{
    Reader r(bench::Block413567());
    static const Block block = DeserializeBlock(r);
    static std::vector<PrecomputedTxData> txdata;
    static std::vector<Input> inputs;
    static size_t skipped = 0;
    if (inputs.empty()) {
        txdata.reserve(block.vtx.size());
        for (const TransactionRef& tx : block.vtx) txdata.emplace_back(*tx);
        for (size_t t = 1; t < block.vtx.size(); ++t) {
            const Transaction& tx = *block.vtx[t];
            for (unsigned int i = 0; i < tx.vin.size(); ++i) {
                auto spent = GuessSpentScript(tx.vin[i].script_sig);
                Input in{&tx, i, spent ? *spent : Script(), &txdata[t]};
                if (spent && Verify(in)) inputs.push_back(std::move(in));
                else ++skipped;
            }
        }
        std::fprintf(stderr, "VerifyScripts413567: %zu inputs verified per iteration, %zu left out (no reconstructable prevout)\n",
                     inputs.size(), skipped);
    }
    state.SetItemsPerIteration(inputs.size());
    while (state.KeepRunning()) {
        for (const Input& in : inputs) {
            if (!Verify(in)) throw std::runtime_error("script verification failed");
        }
    }
}
CAIRN_BENCH(VerifyScripts413567);
