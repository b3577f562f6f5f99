#include "script/solver.h"

#include "consensus/script/interpreter.h"
#include "consensus/script/script_num.h"
#include "crypto/pubkey.h"

#include <optional>

namespace cairn {

namespace {

/** A multisig count: OP_1..OP_16, or (since counts run to 20) a minimally
 *  pushed minimal number; nullopt outside [min, max]. */
std::optional<int> GetCount(Opcode op, ByteSpan data, int min, int max)
{
    std::optional<int64_t> n;
    if (op >= OP_1 && op <= OP_16) {
        n = DecodeOpN(op);
    } else if (op > OP_0 && op <= OP_PUSHDATA4) {
        // Minimal push and minimal number, so that one script has one meaning.
        if (!CheckMinimalPush(data, op)) return std::nullopt;
        if (const std::optional<ScriptNum> num = ScriptNum::Decode(data, /*require_minimal=*/true)) {
            n = num->value();
        }
    }
    if (!n || *n < min || *n > max) return std::nullopt;
    return int(*n);
}

std::optional<Bytes> MatchPayToPubkey(const Script& s)
{
    for (size_t len : {PubKey::UNCOMPRESSED_SIZE, PubKey::COMPRESSED_SIZE}) {
        if (s.size() == len + 2 && s[0] == len && s[len + 1] == OP_CHECKSIG) {
            Bytes key(s.begin() + 1, s.begin() + 1 + len);
            if (PubKey::IsValidSize(key)) return key;
        }
    }
    return std::nullopt;
}

std::optional<Bytes> MatchPayToPubkeyHash(const Script& s)
{
    if (s.size() == 25 && s[0] == OP_DUP && s[1] == OP_HASH160 && s[2] == 20 && s[23] == OP_EQUALVERIFY &&
        s[24] == OP_CHECKSIG) {
        return Bytes(s.begin() + 3, s.begin() + 23);
    }
    return std::nullopt;
}

bool MatchMultisig(const Script& s, int& required, std::vector<Bytes>& keys)
{
    if (s.empty() || s.bytes().back() != OP_CHECKMULTISIG) return false;
    size_t pc = 0;
    Opcode op;
    ByteSpan data;
    if (!s.GetOp(pc, op, data)) return false;
    const std::optional<int> m = GetCount(op, data, 1, MAX_PUBKEYS_PER_MULTISIG);
    if (!m) return false;
    while (s.GetOp(pc, op, data) && PubKey::IsValidSize(data)) keys.emplace_back(data.begin(), data.end());
    // The op that ended the key list must be the key count, with m <= n.
    const std::optional<int> n = GetCount(op, data, *m, MAX_PUBKEYS_PER_MULTISIG);
    if (!n || size_t(*n) != keys.size()) return false;
    required = *m;
    // ...followed only by the final OP_CHECKMULTISIG.
    return pc + 1 == s.size();
}

} // namespace

std::string GetTxnOutputType(TxoutType type)
{
    switch (type) {
    case TxoutType::NONSTANDARD: return "nonstandard";
    case TxoutType::PUBKEY: return "pubkey";
    case TxoutType::PUBKEYHASH: return "pubkeyhash";
    case TxoutType::SCRIPTHASH: return "scripthash";
    case TxoutType::MULTISIG: return "multisig";
    case TxoutType::NULL_DATA: return "nulldata";
    case TxoutType::WITNESS_V0_KEYHASH: return "witness_v0_keyhash";
    case TxoutType::WITNESS_V0_SCRIPTHASH: return "witness_v0_scripthash";
    case TxoutType::WITNESS_V1_TAPROOT: return "witness_v1_taproot";
    case TxoutType::WITNESS_UNKNOWN: return "witness_unknown";
    case TxoutType::ANCHOR: return "anchor";
    }
    return "";
}

TxoutType Solver(const Script& spk, std::vector<Bytes>& solutions)
{
    solutions.clear();

    // P2SH first: its template is exact, and BIP 16 gives it precedence.
    if (spk.IsPayToScriptHash()) {
        solutions.emplace_back(spk.begin() + 2, spk.begin() + 22);
        return TxoutType::SCRIPTHASH;
    }

    int version;
    ByteSpan program;
    if (spk.IsWitnessProgram(version, program)) {
        if (version == 0 && program.size() == 20) {
            solutions.emplace_back(program.begin(), program.end());
            return TxoutType::WITNESS_V0_KEYHASH;
        }
        if (version == 0 && program.size() == 32) {
            solutions.emplace_back(program.begin(), program.end());
            return TxoutType::WITNESS_V0_SCRIPTHASH;
        }
        if (version == 1 && program.size() == 32) {
            solutions.emplace_back(program.begin(), program.end());
            return TxoutType::WITNESS_V1_TAPROOT;
        }
        if (version == 1 && program.size() == 2 && program[0] == 0x4e && program[1] == 0x73) {
            return TxoutType::ANCHOR;
        }
        if (version != 0) {
            solutions.push_back(Bytes{uint8_t(version)});
            solutions.emplace_back(program.begin(), program.end());
            return TxoutType::WITNESS_UNKNOWN;
        }
        // v0 of any other size can never be spent (BIP 141).
        return TxoutType::NONSTANDARD;
    }

    // Data carrier: what follows OP_RETURN does not matter as long as it
    // parses as pushes (so the output can never be mistaken for code).
    if (!spk.empty() && spk[0] == OP_RETURN && spk.IsPushOnly(1)) return TxoutType::NULL_DATA;

    if (std::optional<Bytes> key = MatchPayToPubkey(spk)) {
        solutions.push_back(std::move(*key));
        return TxoutType::PUBKEY;
    }
    if (std::optional<Bytes> hash = MatchPayToPubkeyHash(spk)) {
        solutions.push_back(std::move(*hash));
        return TxoutType::PUBKEYHASH;
    }

    int required = 0;
    std::vector<Bytes> keys;
    if (MatchMultisig(spk, required, keys)) {
        const size_t n = keys.size();
        solutions.push_back(Bytes{uint8_t(required)}); // m and n are 1..20: each fits a byte
        for (Bytes& k : keys) solutions.push_back(std::move(k));
        solutions.push_back(Bytes{uint8_t(n)});
        return TxoutType::MULTISIG;
    }

    return TxoutType::NONSTANDARD;
}

Script GetScriptForMultisig(int required, const std::vector<PubKey>& keys)
{
    Script s;
    s.PushInt(required);
    for (const PubKey& key : keys) s.PushData(key.span());
    s.PushInt(int64_t(keys.size()));
    s << OP_CHECKMULTISIG;
    return s;
}

} // namespace cairn
