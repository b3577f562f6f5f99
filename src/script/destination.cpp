#include "script/destination.h"

#include "crypto/hash.h"
#include "script/solver.h"

namespace cairn {

PKHash::PKHash(const PubKey& pubkey) : uint160(pubkey.GetID()) {}
ScriptHash::ScriptHash(const Script& redeem_script) : uint160(Hash160(redeem_script.span())) {}
WitnessV0KeyHash::WitnessV0KeyHash(const PubKey& pubkey) : uint160(pubkey.GetID()) {}
WitnessV0ScriptHash::WitnessV0ScriptHash(const Script& witness_script) : uint256(Sha256Single(witness_script.span()))
{
}

bool IsValidDestination(const Destination& dest)
{
    return !std::holds_alternative<NoDestination>(dest) && !std::holds_alternative<PubKeyDestination>(dest);
}

bool ExtractDestination(const Script& spk, Destination& dest)
{
    std::vector<Bytes> sol;
    switch (Solver(spk, sol)) {
    case TxoutType::PUBKEY:
        dest = PubKeyDestination(PubKey(sol[0]));
        return false;
    case TxoutType::PUBKEYHASH: dest = PKHash(uint160(sol[0])); return true;
    case TxoutType::SCRIPTHASH: dest = ScriptHash(uint160(sol[0])); return true;
    case TxoutType::WITNESS_V0_KEYHASH: dest = WitnessV0KeyHash(uint160(sol[0])); return true;
    case TxoutType::WITNESS_V0_SCRIPTHASH: dest = WitnessV0ScriptHash(uint256(sol[0])); return true;
    case TxoutType::WITNESS_V1_TAPROOT: dest = WitnessV1Taproot(XOnlyPubKey(ByteSpan(sol[0]))); return true;
    case TxoutType::ANCHOR: dest = PayToAnchor(); return true;
    case TxoutType::WITNESS_UNKNOWN: dest = WitnessUnknown(sol[0][0], std::move(sol[1])); return true;
    case TxoutType::MULTISIG:
    case TxoutType::NULL_DATA:
    case TxoutType::NONSTANDARD: break;
    }
    dest = NoDestination(spk);
    return false;
}

namespace {

Script WitnessScript(int version, ByteSpan program)
{
    Script s;
    s << EncodeOpN(version);
    s.PushData(program);
    return s;
}

struct ScriptBuilder {
    Script operator()(const NoDestination& d) const { return d.script; }
    Script operator()(const PubKeyDestination& d) const
    {
        Script s;
        s.PushData(d.pubkey.span());
        s << OP_CHECKSIG;
        return s;
    }
    Script operator()(const PKHash& h) const
    {
        Script s;
        s << OP_DUP << OP_HASH160;
        s.PushData(h.span());
        s << OP_EQUALVERIFY << OP_CHECKSIG;
        return s;
    }
    Script operator()(const ScriptHash& h) const
    {
        Script s;
        s << OP_HASH160;
        s.PushData(h.span());
        s << OP_EQUAL;
        return s;
    }
    Script operator()(const WitnessV0KeyHash& h) const { return WitnessScript(0, h.span()); }
    Script operator()(const WitnessV0ScriptHash& h) const { return WitnessScript(0, h.span()); }
    Script operator()(const WitnessV1Taproot& k) const { return WitnessScript(1, k.span()); }
    Script operator()(const PayToAnchor&) const { return WitnessScript(PayToAnchor::VERSION, PayToAnchor::PROGRAM); }
    Script operator()(const WitnessUnknown& w) const
    {
        // No opcode pushes a version above 16: such a value was never a script.
        if (w.version > 16) return {};
        return WitnessScript(int(w.version), w.program);
    }
};

} // namespace

Script GetScriptForDestination(const Destination& dest)
{
    return std::visit(ScriptBuilder{}, dest);
}

} // namespace cairn
