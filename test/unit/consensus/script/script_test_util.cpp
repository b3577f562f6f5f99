#include "test/unit/consensus/script/script_test_util.h"

#include "test/util/vectors.h"

#include <stdexcept>

namespace cairn::test {

UniValue ReadJsonVectors(const std::string& relpath)
{
    const std::string text = ReadVectorFile(relpath);
    UniValue v;
    if (!v.read(text)) throw std::runtime_error("cannot parse JSON in " + relpath);
    return v;
}

Amount ParseBtcAmount(std::string_view text)
{
    bool negative = false;
    if (!text.empty() && text[0] == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    Amount whole = 0, frac = 0;
    int frac_digits = 0;
    bool seen_dot = false, any_digit = false;
    for (char c : text) {
        if (c == '.') {
            if (seen_dot) throw std::runtime_error("bad amount");
            seen_dot = true;
        } else if (c >= '0' && c <= '9') {
            any_digit = true;
            if (seen_dot) {
                if (++frac_digits > 8) throw std::runtime_error("amount has more than 8 decimals");
                frac = frac * 10 + (c - '0');
            } else {
                whole = whole * 10 + (c - '0');
                if (whole > MAX_MONEY / COIN) throw std::runtime_error("amount too large");
            }
        } else {
            throw std::runtime_error("bad amount");
        }
    }
    if (!any_digit) throw std::runtime_error("bad amount");
    for (; frac_digits < 8; ++frac_digits) frac *= 10;
    const Amount sats = whole * COIN + frac;
    return negative ? -sats : sats;
}

MutableTransaction BuildCreditingTransaction(const Script& script_pubkey, Amount amount)
{
    MutableTransaction tx;
    tx.version = 1;
    tx.locktime = 0;
    tx.vin.resize(1);
    tx.vin[0].prevout = OutPoint(); // null
    tx.vin[0].script_sig = Script() << OP_0 << OP_0;
    tx.vin[0].sequence = TxIn::SEQUENCE_FINAL;
    tx.vout.emplace_back(amount, script_pubkey);
    return tx;
}

MutableTransaction BuildSpendingTransaction(const Script& script_sig, const ScriptWitness& witness,
                                            const MutableTransaction& credit)
{
    MutableTransaction tx;
    tx.version = 1;
    tx.locktime = 0;
    tx.vin.resize(1);
    tx.vin[0].prevout = OutPoint(credit.GetTxid(), 0);
    tx.vin[0].script_sig = script_sig;
    tx.vin[0].witness = witness;
    tx.vin[0].sequence = TxIn::SEQUENCE_FINAL;
    tx.vout.emplace_back(credit.vout[0].value, Script());
    return tx;
}

} // namespace cairn::test
