// Tests for script/sign.h and script/signing_provider.h: every supported
// output type is signed and the result checked by the interpreter under the
// standard flags; multisig signed piecewise and combined; taproot key path
// (BIP 86 and raw key) and explicit hash types; what is reported when
// signing cannot finish.
#include "consensus/script/interpreter.h"
#include "crypto/hash.h"
#include "script/destination.h"
#include "script/sign.h"
#include "script/signing_provider.h"
#include "script/solver.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

Key MakeKey(uint8_t n, bool compressed = true)
{
    Bytes secret(32, 0);
    secret[31] = n;
    secret[0] = 0x42; // not a tiny scalar
    Key k;
    BOOST_REQUIRE(k.Set(secret, compressed));
    return k;
}

/** A transaction spending one output of `spk` (and optionally a second of a
 *  plain P2WPKH, so that taproot sighashes commit to more than one). */
MutableTransaction Spender(size_t n_inputs = 1)
{
    MutableTransaction tx;
    for (size_t i = 0; i < n_inputs; ++i) {
        TxIn in;
        in.prevout = OutPoint(Sha256Single(Bytes{uint8_t(i)}), uint32_t(i));
        tx.vin.push_back(in);
    }
    tx.vout.emplace_back(40000, Script() << OP_RETURN);
    tx.vout.emplace_back(50000, Script() << OP_TRUE);
    return tx;
}

std::map<OutPoint, Coin> CoinsFor(const MutableTransaction& tx, const std::vector<TxOut>& spent)
{
    std::map<OutPoint, Coin> coins;
    for (size_t i = 0; i < tx.vin.size(); ++i) coins[tx.vin[i].prevout] = Coin(spent[i], 1, false);
    return coins;
}

const std::string OK = ScriptErrorString(ScriptError::OK);

/** Verifies input `in` under the signing flags, with every spent output known. */
std::string Check(const MutableTransaction& tx, const std::vector<TxOut>& spent, unsigned in)
{
    const PrecomputedTxData txdata(tx, spent, true);
    ScriptError err = ScriptError::UNKNOWN_ERROR;
    VerifyScript(tx.vin[in].script_sig, spent[in].script_pubkey, &tx.vin[in].witness, SIGNING_VERIFY_FLAGS,
                 MutableTransactionSignatureChecker(tx, in, spent[in].value, txdata), &err);
    return ScriptErrorString(err);
}

/** Signs a one-input spend of `spk` with `provider`; checks completeness and the interpreter's verdict. */
MutableTransaction SignOne(const FlatSigningProvider& provider, const Script& spk, int hash_type = SIGHASH_ALL,
                           bool expect_complete = true)
{
    MutableTransaction tx = Spender();
    const std::vector<TxOut> spent{TxOut(100000, spk)};
    std::map<int, std::string> errors;
    const bool complete = SignTransaction(tx, provider, CoinsFor(tx, spent), hash_type, errors);
    BOOST_TEST(complete == expect_complete);
    if (expect_complete) {
        BOOST_TEST(errors.empty());
        BOOST_TEST(Check(tx, spent, 0) == OK);
    }
    return tx;
}

} // namespace

BOOST_AUTO_TEST_SUITE(sign_tests)

BOOST_AUTO_TEST_CASE(single_key_types)
{
    const Key key = MakeKey(1);
    const Key ukey = MakeKey(2, /*compressed=*/false);
    FlatSigningProvider provider;
    provider.AddKey(key);
    provider.AddKey(ukey);
    const PubKey pub = key.GetPubKey();

    // P2PK, P2PKH (compressed and uncompressed keys).
    MutableTransaction tx = SignOne(provider, GetScriptForDestination(PubKeyDestination(pub)));
    BOOST_TEST(tx.vin[0].witness.IsNull());
    tx = SignOne(provider, GetScriptForDestination(PKHash(pub)));
    BOOST_TEST(tx.vin[0].witness.IsNull());
    SignOne(provider, GetScriptForDestination(PKHash(ukey.GetPubKey())));

    // P2WPKH: empty scriptSig, witness = sig, key.
    tx = SignOne(provider, GetScriptForDestination(WitnessV0KeyHash(pub)));
    BOOST_TEST(tx.vin[0].script_sig.empty());
    BOOST_CHECK(tx.vin[0].witness.stack.size() == 2u);
    BOOST_CHECK(tx.vin[0].witness.stack[1] == Bytes(pub.begin(), pub.end()));

    // P2SH-P2WPKH: the scriptSig pushes the witness program.
    const Script p2wpkh = GetScriptForDestination(WitnessV0KeyHash(pub));
    provider.AddScript(p2wpkh);
    tx = SignOne(provider, GetScriptForDestination(ScriptHash(p2wpkh)));
    BOOST_CHECK(tx.vin[0].script_sig == Script() << p2wpkh.bytes());
    BOOST_CHECK(tx.vin[0].witness.stack.size() == 2u);

    // P2SH of P2PKH, P2WSH and P2SH-P2WSH of P2PK.
    const Script p2pkh = GetScriptForDestination(PKHash(pub));
    provider.AddScript(p2pkh);
    SignOne(provider, GetScriptForDestination(ScriptHash(p2pkh)));
    const Script p2pk = GetScriptForDestination(PubKeyDestination(pub));
    provider.AddScript(p2pk);
    tx = SignOne(provider, GetScriptForDestination(WitnessV0ScriptHash(p2pk)));
    BOOST_CHECK(tx.vin[0].witness.stack.back() == p2pk.bytes());
    const Script p2wsh = GetScriptForDestination(WitnessV0ScriptHash(p2pk));
    provider.AddScript(p2wsh);
    SignOne(provider, GetScriptForDestination(ScriptHash(p2wsh)));
}

BOOST_AUTO_TEST_CASE(uncompressed_key_not_in_witness)
{
    const Key ukey = MakeKey(3, false);
    FlatSigningProvider provider;
    provider.AddKey(ukey);
    // A P2WPKH of an uncompressed key is non-standard: no signature is made.
    MutableTransaction tx = Spender();
    const Script spk = GetScriptForDestination(WitnessV0KeyHash(ukey.GetPubKey()));
    std::map<int, std::string> errors;
    BOOST_TEST(!SignTransaction(tx, provider, CoinsFor(tx, {TxOut(1000, spk)}), SIGHASH_ALL, errors));
    BOOST_TEST(errors.at(0) == "Witness program hash mismatch");
}

BOOST_AUTO_TEST_CASE(hash_types)
{
    const Key key = MakeKey(4);
    FlatSigningProvider provider;
    provider.AddKey(key);
    const Script spk = GetScriptForDestination(WitnessV0KeyHash(key.GetPubKey()));
    for (int ht : {SIGHASH_ALL, SIGHASH_NONE, SIGHASH_SINGLE, SIGHASH_ALL | SIGHASH_ANYONECANPAY,
                   SIGHASH_NONE | SIGHASH_ANYONECANPAY, SIGHASH_SINGLE | SIGHASH_ANYONECANPAY}) {
        const MutableTransaction tx = SignOne(provider, spk, ht);
        BOOST_CHECK(tx.vin[0].witness.stack[0].back() == ht);
    }
    // SIGHASH_DEFAULT means ALL for ECDSA.
    const MutableTransaction tx = SignOne(provider, spk, SIGHASH_DEFAULT);
    BOOST_CHECK(tx.vin[0].witness.stack[0].back() == SIGHASH_ALL);

    // SIGHASH_SINGLE for an input without a matching output is not signed.
    MutableTransaction tx3 = Spender(3);
    std::vector<TxOut> spent(3, TxOut(1000, spk));
    std::map<int, std::string> errors;
    BOOST_TEST(!SignTransaction(tx3, provider, CoinsFor(tx3, spent), SIGHASH_SINGLE, errors));
    BOOST_TEST(errors.size() == 1u);
    // (A P2WPKH witness of the wrong size is a "mismatch" in Core's interpreter.)
    BOOST_TEST(errors.at(2) == "Witness program hash mismatch");
    BOOST_TEST(Check(tx3, spent, 0) == OK);
    BOOST_TEST(Check(tx3, spent, 1) == OK);
}

BOOST_AUTO_TEST_CASE(ecdsa_bit_exact)
{
    // RFC 6979 with R ground low, as Bitcoin Core's CKey::Sign: the same
    // transaction signed twice gives the same bytes, and R is never high.
    const Key key = MakeKey(5);
    FlatSigningProvider provider;
    provider.AddKey(key);
    const Script spk = GetScriptForDestination(PKHash(key.GetPubKey()));
    const MutableTransaction a = SignOne(provider, spk);
    const MutableTransaction b = SignOne(provider, spk);
    BOOST_CHECK(a.vin[0].script_sig == b.vin[0].script_sig);
    // DER: 30 len 02 rlen r...; a low R is at most 32 bytes with no 0x00 pad.
    const Bytes& script = a.vin[0].script_sig.bytes();
    BOOST_TEST(script[1] == 0x30);
    BOOST_TEST(script[4] <= 32);
}

BOOST_AUTO_TEST_CASE(taproot_key_path)
{
    const Key key = MakeKey(6);
    FlatSigningProvider provider;
    const XOnlyPubKey output = provider.AddTaprootKeyPathOnly(key);
    const Script bip86 = GetScriptForDestination(WitnessV1Taproot(output));

    // Two inputs: BIP 86 and a raw key (output key = the key itself).
    const Key raw = MakeKey(7);
    provider.AddKey(raw);
    const Script rawtr = GetScriptForDestination(WitnessV1Taproot(raw.GetXOnlyPubKey()));
    MutableTransaction tx = Spender(2);
    const std::vector<TxOut> spent{TxOut(70000, bip86), TxOut(30000, rawtr)};
    std::map<int, std::string> errors;
    BOOST_TEST(SignTransaction(tx, provider, CoinsFor(tx, spent), SIGHASH_DEFAULT, errors));
    BOOST_CHECK(tx.vin[0].witness.stack.size() == 1u);
    BOOST_CHECK(tx.vin[0].witness.stack[0].size() == 64u);
    BOOST_TEST(Check(tx, spent, 0) == OK);
    BOOST_TEST(Check(tx, spent, 1) == OK);

    // Deterministic (zero aux randomness): signing again gives the same bytes.
    MutableTransaction again = Spender(2);
    BOOST_TEST(SignTransaction(again, provider, CoinsFor(again, spent), SIGHASH_DEFAULT, errors));
    BOOST_CHECK(again.vin[0].witness == tx.vin[0].witness);

    // Explicit hash types add the byte.
    for (int ht : {SIGHASH_ALL, SIGHASH_NONE | SIGHASH_ANYONECANPAY, SIGHASH_SINGLE}) {
        MutableTransaction t = Spender(2);
        BOOST_TEST(SignTransaction(t, provider, CoinsFor(t, spent), ht, errors));
        BOOST_CHECK(t.vin[0].witness.stack[0].size() == 65u);
        BOOST_CHECK(t.vin[0].witness.stack[0].back() == ht);
        BOOST_TEST(Check(t, spent, 0) == OK);
    }

    // Without the BIP 86 spend data the key alone cannot sign the tweaked output.
    FlatSigningProvider keys_only;
    keys_only.AddKey(key);
    MutableTransaction t = Spender(2);
    BOOST_TEST(!SignTransaction(t, keys_only, CoinsFor(t, spent), SIGHASH_DEFAULT, errors));
    BOOST_TEST(errors.at(0) == "Witness program was passed an empty witness");

    // Without every spent output no taproot signature can be made.
    MutableTransaction t2 = Spender(2);
    std::map<OutPoint, Coin> partial = CoinsFor(t2, spent);
    partial.erase(t2.vin[1].prevout);
    errors.clear();
    BOOST_TEST(!SignTransaction(t2, provider, partial, SIGHASH_DEFAULT, errors));
    BOOST_TEST(errors.at(0) == "Witness program was passed an empty witness");
    BOOST_TEST(errors.at(1) == "Input not found or already spent");
}

BOOST_AUTO_TEST_CASE(multisig_partial_and_combine)
{
    const Key k1 = MakeKey(11), k2 = MakeKey(12), k3 = MakeKey(13);
    const Script multi = GetScriptForMultisig(2, {k1.GetPubKey(), k2.GetPubKey(), k3.GetPubKey()});
    const Script p2wsh = GetScriptForDestination(WitnessV0ScriptHash(multi));

    for (const Script& spk : {multi, GetScriptForDestination(ScriptHash(multi)), p2wsh,
                              GetScriptForDestination(ScriptHash(p2wsh))}) {
        const std::vector<TxOut> spent{TxOut(100000, spk)};
        const auto coins = CoinsFor(Spender(), spent);
        auto provider_with = [&](const Key& k) {
            FlatSigningProvider p;
            p.AddKey(k);
            p.AddScript(multi);
            p.AddScript(p2wsh);
            return p;
        };

        // Signer 3 alone: incomplete, with Core's error and padding.
        MutableTransaction part3 = Spender();
        std::map<int, std::string> errors;
        BOOST_TEST(!SignTransaction(part3, provider_with(k3), coins, SIGHASH_ALL, errors));
        BOOST_TEST(errors.at(0) == "CHECK(MULTI)SIG failing with non-zero signature (possibly need more signatures)");
        // Signer 1 alone.
        MutableTransaction part1 = Spender();
        errors.clear();
        BOOST_TEST(!SignTransaction(part1, provider_with(k1), coins, SIGHASH_ALL, errors));

        // Signer 1 continues from signer 3's transaction: complete, in key order.
        MutableTransaction seq = part3;
        errors.clear();
        BOOST_TEST(SignTransaction(seq, provider_with(k1), coins, SIGHASH_ALL, errors));
        BOOST_TEST(Check(seq, spent, 0) == OK);

        // Combining the two halves gives the very same transaction.
        SignatureData sigdata;
        for (const MutableTransaction* v : {&part3, &part1}) {
            sigdata.MergeSignatureData(DataFromTransaction(*v, 0, spent[0]));
        }
        BOOST_TEST(sigdata.signatures.size() == 2u);
        MutableTransaction merged = part3;
        BOOST_TEST(ProduceSignature(EmptySigningProvider(),
                                    MutableTransactionSignatureCreator(merged, 0, spent[0].value, nullptr, SIGHASH_ALL),
                                    spk, sigdata));
        UpdateInput(merged.vin[0], sigdata);
        BOOST_CHECK(merged.vin[0].script_sig == seq.vin[0].script_sig);
        BOOST_CHECK(merged.vin[0].witness == seq.vin[0].witness);
        BOOST_TEST(Check(merged, spent, 0) == OK);

        // A third signature is not added to a complete input.
        MutableTransaction again = seq;
        errors.clear();
        BOOST_TEST(SignTransaction(again, provider_with(k2), coins, SIGHASH_ALL, errors));
        BOOST_CHECK(again.vin[0].script_sig == seq.vin[0].script_sig);
        BOOST_CHECK(again.vin[0].witness == seq.vin[0].witness);
    }
}

BOOST_AUTO_TEST_CASE(multisig_padding_matches_core)
{
    // One signature of a 2-of-3 bare multisig: OP_0 <sig> OP_0.
    const Key k1 = MakeKey(21), k2 = MakeKey(22), k3 = MakeKey(23);
    const Script multi = GetScriptForMultisig(2, {k1.GetPubKey(), k2.GetPubKey(), k3.GetPubKey()});
    FlatSigningProvider p;
    p.AddKey(k2);
    const MutableTransaction tx = SignOne(p, multi, SIGHASH_ALL, false);
    std::vector<Bytes> pushes;
    size_t pc = 0;
    Opcode op;
    ByteSpan data;
    while (tx.vin[0].script_sig.GetOp(pc, op, data)) pushes.emplace_back(data.begin(), data.end());
    BOOST_TEST(pushes.size() == 3u);
    BOOST_TEST(pushes[0].empty());
    BOOST_TEST(!pushes[1].empty());
    BOOST_TEST(pushes[2].empty());

    // No key at all: OP_0 OP_0 (Core pads only half the gap).
    FlatSigningProvider none;
    const MutableTransaction tx0 = SignOne(none, multi, SIGHASH_ALL, false);
    BOOST_TEST(HexStr(tx0.vin[0].script_sig.span()) == "0000");
}

BOOST_AUTO_TEST_CASE(missing_data)
{
    const Key key = MakeKey(31);
    FlatSigningProvider provider;
    provider.AddKey(key);
    const Script p2pkh_other = GetScriptForDestination(PKHash(MakeKey(32).GetPubKey()));
    MutableTransaction tx = Spender();
    std::map<int, std::string> errors;
    BOOST_TEST(!SignTransaction(tx, provider, CoinsFor(tx, {TxOut(1000, p2pkh_other)}), SIGHASH_ALL, errors));
    BOOST_TEST(errors.at(0) == "Unable to sign input, invalid stack size (possibly missing key)");

    // A P2SH whose redeem script is unknown.
    SignatureData sigdata;
    const Script redeem = GetScriptForDestination(PKHash(key.GetPubKey()));
    const Script p2sh = GetScriptForDestination(ScriptHash(redeem));
    MutableTransaction tx2 = Spender();
    BOOST_TEST(!ProduceSignature(provider, MutableTransactionSignatureCreator(tx2, 0, 1000, nullptr, SIGHASH_ALL), p2sh,
                                 sigdata));
    BOOST_CHECK(sigdata.missing_redeem_script == ScriptHash(redeem));

    // Unknown coin.
    MutableTransaction tx3 = Spender();
    errors.clear();
    BOOST_TEST(!SignTransaction(tx3, provider, {}, SIGHASH_ALL, errors));
    BOOST_TEST(errors.at(0) == "Input not found or already spent");
}

BOOST_AUTO_TEST_CASE(sighash_names)
{
    BOOST_TEST(*SighashFromStr("DEFAULT") == SIGHASH_DEFAULT);
    BOOST_TEST(*SighashFromStr("ALL") == SIGHASH_ALL);
    BOOST_TEST(*SighashFromStr("SINGLE|ANYONECANPAY") == (SIGHASH_SINGLE | SIGHASH_ANYONECANPAY));
    BOOST_TEST(!SighashFromStr("DEFAULT|ANYONECANPAY"));
    BOOST_TEST(!SighashFromStr("all"));
}

BOOST_AUTO_TEST_SUITE_END()
