#include "policy/policy.h"

#include "consensus/script/interpreter.h"
#include "consensus/script/sigops.h"
#include "consensus/script/taproot.h"
#include "consensus/tx_check.h"
#include "util/serialize.h"

#include <algorithm>

namespace cairn {

namespace {

/** Every input has a coin to look at. */
bool HaveAllCoins(const Transaction& tx, std::span<const Coin* const> coins)
{
    if (coins.size() < tx.vin.size()) return false;
    return std::all_of(coins.begin(), coins.begin() + tx.vin.size(), [](const Coin* c) { return c != nullptr; });
}

/** The stack a scriptSig leaves when run alone, without signature checks:
 *  how policy finds a P2SH redeem script. False if evaluation fails or
 *  leaves nothing. */
bool RedeemScriptOf(const Script& script_sig, Bytes& redeem_script)
{
    std::vector<Bytes> stack;
    if (!EvalScript(stack, script_sig, SCRIPT_VERIFY_NONE, SignatureChecker{}, SigVersion::BASE)) return false;
    if (stack.empty()) return false;
    redeem_script = std::move(stack.back());
    return true;
}

bool IsPayToAnchorScript(const Script& spk)
{
    int version;
    ByteSpan program;
    return spk.IsWitnessProgram(version, program) && version == 1 && program.size() == 2 && program[0] == 0x4e &&
           program[1] == 0x73;
}

/** Serialized size of a TxOut: value, compact-size length, script. */
size_t SerializedSize(const TxOut& out)
{
    return 8 + CompactSizeLen(out.script_pubkey.size()) + out.script_pubkey.size();
}

/** The P2WSH limits on one input's witness (which is not empty). */
bool IsP2WSHWitnessStandard(const ScriptWitness& witness)
{
    if (witness.stack.back().size() > MAX_STANDARD_P2WSH_SCRIPT_SIZE) return false;
    const size_t items = witness.stack.size() - 1;
    if (items > MAX_STANDARD_P2WSH_STACK_ITEMS) return false;
    for (size_t j = 0; j < items; ++j) {
        if (witness.stack[j].size() > MAX_STANDARD_P2WSH_STACK_ITEM_SIZE) return false;
    }
    return true;
}

/** The taproot (not P2SH-wrapped) limits on one input's witness. */
bool IsTaprootWitnessStandard(const ScriptWitness& witness)
{
    std::span<const Bytes> stack{witness.stack};
    // An annex has no meaning yet, so it stays non-standard until it has one.
    if (stack.size() >= 2 && !stack.back().empty() && stack.back()[0] == ANNEX_TAG) return false;
    if (stack.size() >= 2) {
        // Script path: the last item is the control block, the one before the script.
        const Bytes& control_block = stack.back();
        if (control_block.empty()) return false;
        const std::span<const Bytes> args = stack.first(stack.size() - 2);
        if ((control_block[0] & TAPROOT_LEAF_MASK) == TAPROOT_LEAF_TAPSCRIPT) {
            for (const Bytes& item : args) {
                if (item.size() > MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE) return false;
            }
        }
        return true;
    }
    // One item is a key-path spend (no policy rule); none is invalid anyway.
    return stack.size() == 1;
}

} // namespace

Amount GetDustThreshold(const TxOut& out, const FeeRate& dust_relay_fee)
{
    // An output is dust when spending it would cost more, at the dust fee
    // rate, than it is worth. The spend is priced as the output itself plus
    // an input: outpoint 36, script length 1, sequence 4, and a 107-byte
    // signature and key (a P2PKH scriptSig, 148 in all) or, for any witness
    // program, those 107 bytes in the witness at a quarter (67 in all). The
    // P2WPKH figure is kept for taproot too, not to lower the dust level.
    if (out.script_pubkey.IsUnspendable()) return 0;
    size_t size = SerializedSize(out);
    int version;
    ByteSpan program;
    if (out.script_pubkey.IsWitnessProgram(version, program)) {
        size += 32 + 4 + 1 + (107 / WITNESS_SCALE_FACTOR) + 4;
    } else {
        size += 32 + 4 + 1 + 107 + 4;
    }
    return dust_relay_fee.GetFee(static_cast<int64_t>(size));
}

bool IsDust(const TxOut& out, const FeeRate& dust_relay_fee)
{
    return out.value < GetDustThreshold(out, dust_relay_fee);
}

std::vector<uint32_t> GetDust(const Transaction& tx, FeeRate dust_relay_fee)
{
    std::vector<uint32_t> dust;
    for (uint32_t i = 0; i < tx.vout.size(); ++i) {
        if (IsDust(tx.vout[i], dust_relay_fee)) dust.push_back(i);
    }
    return dust;
}

bool IsStandard(const Script& spk, TxoutType& which_type)
{
    std::vector<Bytes> solutions;
    which_type = Solver(spk, solutions);
    if (which_type == TxoutType::NONSTANDARD) return false;
    if (which_type == TxoutType::MULTISIG) {
        // Bare multisig is standard only up to three keys.
        const unsigned m = solutions.front()[0];
        const unsigned n = solutions.back()[0];
        if (n < 1 || n > 3) return false;
        if (m < 1 || m > n) return false;
    }
    return true;
}

bool IsStandard(const Script& spk, const std::optional<unsigned>& max_datacarrier_bytes, TxoutType& which_type)
{
    if (!IsStandard(spk, which_type)) return false;
    if (which_type == TxoutType::NULL_DATA) {
        if (!max_datacarrier_bytes || spk.size() > *max_datacarrier_bytes) return false;
    }
    return true;
}

bool IsStandardTx(const Transaction& tx, const std::optional<unsigned>& max_datacarrier_bytes,
                  bool permit_bare_multisig, const FeeRate& dust_relay_fee, std::string& reason)
{
    if (tx.version > TX_MAX_STANDARD_VERSION || tx.version < TX_MIN_STANDARD_VERSION) {
        reason = "version";
        return false;
    }

    // Signature hashing of legacy inputs costs O(inputs * size): the weight
    // cap bounds what one transaction can make every node compute.
    if (GetTransactionWeight(tx) > MAX_STANDARD_TX_WEIGHT) {
        reason = "tx-size";
        return false;
    }

    for (const TxIn& in : tx.vin) {
        if (in.script_sig.size() > MAX_STANDARD_SCRIPTSIG_SIZE) {
            reason = "scriptsig-size";
            return false;
        }
        // Anything but pushes in a scriptSig is malleable by third parties.
        if (!in.script_sig.IsPushOnly()) {
            reason = "scriptsig-not-pushonly";
            return false;
        }
    }

    // The data-carrier budget covers all OP_RETURN outputs together.
    uint64_t datacarrier_left = max_datacarrier_bytes.value_or(0);
    TxoutType which_type;
    for (const TxOut& out : tx.vout) {
        if (!IsStandard(out.script_pubkey, which_type)) {
            reason = "scriptpubkey";
            return false;
        }
        if (which_type == TxoutType::NULL_DATA) {
            const uint64_t size = out.script_pubkey.size();
            if (size > datacarrier_left) {
                reason = "datacarrier";
                return false;
            }
            datacarrier_left -= size;
        } else if (which_type == TxoutType::MULTISIG && !permit_bare_multisig) {
            reason = "bare-multisig";
            return false;
        }
    }

    // One dust output may pass here (ephemeral dust); the ephemeral rules
    // then require a zero fee and a child spending it.
    if (GetDust(tx, dust_relay_fee).size() > MAX_DUST_OUTPUTS_PER_TX) {
        reason = "dust";
        return false;
    }
    return true;
}

unsigned int GetLegacySigOpsBIP54(const Transaction& tx, std::span<const Coin* const> coins)
{
    // Unlike the block sigop limit, which counts scriptPubKeys where they are
    // created, BIP 54 counts sigops where they may run: in the scriptSig, the
    // spent scriptPubKey and, for P2SH, the redeem script. Accurate counting
    // (CHECKMULTISIG after OP_n counts n) as BIP 16 introduced it.
    unsigned int sigops = 0;
    for (size_t i = 0; i < tx.vin.size() && i < coins.size(); ++i) {
        if (!coins[i]) continue;
        sigops += GetSigOpCount(tx.vin[i].script_sig, /*accurate=*/true);
        sigops += GetP2SHSigOpCount(coins[i]->out.script_pubkey, tx.vin[i].script_sig);
    }
    return sigops;
}

bool AreInputsStandard(const Transaction& tx, std::span<const Coin* const> coins)
{
    if (tx.IsCoinBase()) return true; // a coinbase spends nothing
    if (!HaveAllCoins(tx, coins)) return false;

    // BIP 54 comes first, as in Core.
    if (GetLegacySigOpsBIP54(tx, coins) > MAX_TX_LEGACY_SIGOPS) return false;

    for (size_t i = 0; i < tx.vin.size(); ++i) {
        std::vector<Bytes> solutions;
        const TxoutType type = Solver(coins[i]->out.script_pubkey, solutions);
        // Unknown scripts and undefined witness programs are kept as upgrade
        // hooks (the interpreter's DISCOURAGE flags would also catch the
        // latter, later and at more cost).
        if (type == TxoutType::NONSTANDARD || type == TxoutType::WITNESS_UNKNOWN) return false;
        if (type == TxoutType::SCRIPTHASH) {
            // A redeem script full of CHECKSIGs is cheap to send and costly
            // to verify.
            Bytes redeem_script;
            if (!RedeemScriptOf(tx.vin[i].script_sig, redeem_script)) return false;
            if (GetSigOpCount(redeem_script, /*accurate=*/true) > MAX_P2SH_SIGOPS) return false;
        }
    }
    return true;
}

bool IsWitnessStandard(const Transaction& tx, std::span<const Coin* const> coins)
{
    if (tx.IsCoinBase()) return true;
    if (!HaveAllCoins(tx, coins)) return false;

    for (size_t i = 0; i < tx.vin.size(); ++i) {
        const ScriptWitness& witness = tx.vin[i].witness;
        // An empty witness cannot be bloated; if the input needs one, script
        // verification fails it.
        if (witness.IsNull()) continue;

        Script prev_script = coins[i]->out.script_pubkey;
        // A pay-to-anchor is spent with an empty witness: anything else is stuffing.
        if (IsPayToAnchorScript(prev_script)) return false;

        bool p2sh = false;
        if (prev_script.IsPayToScriptHash()) {
            // The redeem script, taken without checking push-only or the hash:
            // script verification does both later.
            Bytes redeem_script;
            if (!RedeemScriptOf(tx.vin[i].script_sig, redeem_script)) return false;
            prev_script = Script(std::move(redeem_script));
            p2sh = true;
        }

        int version;
        ByteSpan program;
        // A witness on something that is not a witness program is pure bloat.
        if (!prev_script.IsWitnessProgram(version, program)) return false;

        if (version == 0 && program.size() == WITNESS_V0_SCRIPTHASH_SIZE) {
            if (!IsP2WSHWitnessStandard(witness)) return false;
        }
        if (version == 1 && program.size() == WITNESS_V1_TAPROOT_SIZE && !p2sh) {
            if (!IsTaprootWitnessStandard(witness)) return false;
        }
    }
    return true;
}

int64_t GetVirtualTransactionSize(int64_t weight, int64_t sigop_cost, unsigned bytes_per_sigop)
{
    const int64_t sigop_weight = sigop_cost * static_cast<int64_t>(bytes_per_sigop);
    return (std::max(weight, sigop_weight) + WITNESS_SCALE_FACTOR - 1) / WITNESS_SCALE_FACTOR;
}

int64_t GetVirtualTransactionSize(const Transaction& tx, int64_t sigop_cost, unsigned bytes_per_sigop)
{
    return GetVirtualTransactionSize(GetTransactionWeight(tx), sigop_cost, bytes_per_sigop);
}

bool SignalsOptInRBF(const Transaction& tx)
{
    return std::any_of(tx.vin.begin(), tx.vin.end(),
                       [](const TxIn& in) { return in.sequence <= MAX_BIP125_RBF_SEQUENCE; });
}

} // namespace cairn
