#include "consensus/script/sigops.h"

#include "consensus/consensus.h"
#include "consensus/script/interpreter.h"
#include "consensus/script/taproot.h"

#include <cassert>

namespace cairn {

namespace {

/** The last element a push-only scriptSig pushes (empty for OP_0..OP_16); false if not push-only. */
bool LastPush(const Script& script_sig, ByteSpan& last)
{
    size_t pc = 0;
    Opcode op;
    ByteSpan data;
    last = {};
    while (pc < script_sig.size()) {
        if (!script_sig.GetOp(pc, op, data)) return false;
        if (op > OP_16) return false;
        last = data;
    }
    return true;
}

size_t WitnessSigOps(int version, ByteSpan program, const ScriptWitness& witness)
{
    if (version == 0) {
        if (program.size() == WITNESS_V0_KEYHASH_SIZE) return 1;
        if (program.size() == WITNESS_V0_SCRIPTHASH_SIZE && !witness.stack.empty()) {
            return GetSigOpCount(witness.stack.back(), true);
        }
    }
    // Taproot has no sigop count: its budget is per input (BIP 342).
    return 0;
}

} // namespace

unsigned int GetSigOpCount(ByteSpan script, bool accurate)
{
    unsigned int n = 0;
    size_t pc = 0;
    Opcode op;
    Opcode last_op = OP_INVALIDOPCODE;
    ByteSpan data;
    while (pc < script.size()) {
        if (!GetScriptOp(script, pc, op, data)) break;
        if (op == OP_CHECKSIG || op == OP_CHECKSIGVERIFY) {
            ++n;
        } else if (op == OP_CHECKMULTISIG || op == OP_CHECKMULTISIGVERIFY) {
            if (accurate && last_op >= OP_1 && last_op <= OP_16) {
                n += DecodeOpN(last_op);
            } else {
                n += MAX_PUBKEYS_PER_MULTISIG;
            }
        }
        last_op = op;
    }
    return n;
}

unsigned int GetP2SHSigOpCount(const Script& script_pubkey, const Script& script_sig)
{
    if (!script_pubkey.IsPayToScriptHash()) return GetSigOpCount(script_pubkey, true);
    ByteSpan redeem_script;
    if (!LastPush(script_sig, redeem_script)) return 0;
    return GetSigOpCount(redeem_script, true);
}

size_t CountWitnessSigOps(const Script& script_sig, const Script& script_pubkey, const ScriptWitness* witness,
                          ScriptFlags flags)
{
    static const ScriptWitness empty_witness;
    if (!(flags & SCRIPT_VERIFY_WITNESS)) return 0;
    if (!witness) witness = &empty_witness;

    int version;
    ByteSpan program;
    if (script_pubkey.IsWitnessProgram(version, program)) return WitnessSigOps(version, program, *witness);

    if (script_pubkey.IsPayToScriptHash() && script_sig.IsPushOnly()) {
        ByteSpan redeem_script;
        LastPush(script_sig, redeem_script);
        if (IsWitnessProgram(redeem_script, version, program)) return WitnessSigOps(version, program, *witness);
    }
    return 0;
}

unsigned int GetLegacySigOpCount(const Transaction& tx)
{
    unsigned int n = 0;
    for (const TxIn& in : tx.vin) n += GetSigOpCount(in.script_sig, false);
    for (const TxOut& out : tx.vout) n += GetSigOpCount(out.script_pubkey, false);
    return n;
}

unsigned int GetP2SHSigOpCount(const Transaction& tx, std::span<const TxOut> spent)
{
    if (tx.IsCoinBase()) return 0;
    assert(spent.size() == tx.vin.size());
    unsigned int n = 0;
    for (size_t i = 0; i < tx.vin.size(); ++i) {
        if (spent[i].script_pubkey.IsPayToScriptHash()) {
            n += GetP2SHSigOpCount(spent[i].script_pubkey, tx.vin[i].script_sig);
        }
    }
    return n;
}

int64_t GetTransactionSigOpCost(const Transaction& tx, std::span<const TxOut> spent, ScriptFlags flags)
{
    int64_t cost = int64_t(GetLegacySigOpCount(tx)) * WITNESS_SCALE_FACTOR;
    if (tx.IsCoinBase()) return cost;
    if (flags & SCRIPT_VERIFY_P2SH) cost += int64_t(GetP2SHSigOpCount(tx, spent)) * WITNESS_SCALE_FACTOR;
    for (size_t i = 0; i < tx.vin.size(); ++i) {
        cost += int64_t(CountWitnessSigOps(tx.vin[i].script_sig, spent[i].script_pubkey, &tx.vin[i].witness, flags));
    }
    return cost;
}

} // namespace cairn
