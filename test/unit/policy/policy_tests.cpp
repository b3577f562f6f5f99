// Standardness (src/policy/policy.cpp): Core 30's defaults, the script
// flag sets, output templates, every IsStandardTx reason and their order,
// dust, the input and witness rules, virtual size and BIP 125 signalling.
#include "policy/policy.h"

#include "consensus/tx_check.h"
#include "test/unit/policy/policy_test_util.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::policy_test;

namespace {

const FeeRate DUST_RATE{DUST_RELAY_TX_FEE};

std::string Reason(const MutableTransaction& mtx, std::optional<unsigned> datacarrier = MAX_OP_RETURN_RELAY,
                   bool permit_bare_multisig = true)
{
    const Transaction tx(mtx);
    std::string reason;
    const bool ok = IsStandardTx(tx, datacarrier, permit_bare_multisig, DUST_RATE, reason);
    BOOST_CHECK_EQUAL(ok, reason.empty());
    return ok ? "ok" : reason;
}

bool InputsStandard(const MutableTransaction& mtx, const std::vector<Coin>& coins)
{
    const std::vector<const Coin*> ptrs = Ptrs(coins);
    return AreInputsStandard(Transaction(mtx), ptrs);
}

bool WitnessStandard(const MutableTransaction& mtx, const std::vector<Coin>& coins)
{
    const std::vector<const Coin*> ptrs = Ptrs(coins);
    return IsWitnessStandard(Transaction(mtx), ptrs);
}

/** One input spending `spk` with `witness` (and `script_sig`). */
MutableTransaction WitnessSpend(std::vector<Bytes> witness, Script script_sig = {})
{
    MutableTransaction tx = StandardTx();
    tx.vin[0].script_sig = std::move(script_sig);
    tx.vin[0].witness.stack = std::move(witness);
    return tx;
}

} // namespace

BOOST_AUTO_TEST_SUITE(policy_tests)

BOOST_AUTO_TEST_CASE(core_30_defaults)
{
    BOOST_CHECK_EQUAL(DEFAULT_MAX_MEMPOOL_SIZE_MB, 300U);
    BOOST_CHECK_EQUAL(DEFAULT_MEMPOOL_EXPIRY_HOURS, 336U);
    BOOST_CHECK_EQUAL(DEFAULT_MIN_RELAY_TX_FEE, 100U);
    BOOST_CHECK_EQUAL(DEFAULT_INCREMENTAL_RELAY_FEE, 100U);
    BOOST_CHECK_EQUAL(DEFAULT_BLOCK_MIN_TX_FEE, 1U);
    BOOST_CHECK_EQUAL(DUST_RELAY_TX_FEE, 3000U);
    BOOST_CHECK_EQUAL(MAX_STANDARD_TX_WEIGHT, 400000);
    BOOST_CHECK_EQUAL(MIN_STANDARD_TX_NONWITNESS_SIZE, 65U);
    BOOST_CHECK_EQUAL(MAX_P2SH_SIGOPS, 15U);
    BOOST_CHECK_EQUAL(MAX_STANDARD_TX_SIGOPS_COST, 16000U);
    BOOST_CHECK_EQUAL(MAX_TX_LEGACY_SIGOPS, 2500U);
    BOOST_CHECK_EQUAL(DEFAULT_BYTES_PER_SIGOP, 20U);
    BOOST_CHECK(DEFAULT_PERMIT_BAREMULTISIG);
    BOOST_CHECK_EQUAL(MAX_STANDARD_P2WSH_STACK_ITEMS, 100U);
    BOOST_CHECK_EQUAL(MAX_STANDARD_P2WSH_STACK_ITEM_SIZE, 80U);
    BOOST_CHECK_EQUAL(MAX_STANDARD_P2WSH_SCRIPT_SIZE, 3600U);
    BOOST_CHECK_EQUAL(MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE, 80U);
    BOOST_CHECK_EQUAL(MAX_STANDARD_SCRIPTSIG_SIZE, 1650U);
    BOOST_CHECK(DEFAULT_ACCEPT_DATACARRIER);
    BOOST_CHECK_EQUAL(MAX_OP_RETURN_RELAY, 100000U);
    BOOST_CHECK_EQUAL(DEFAULT_ANCESTOR_LIMIT, 25U);
    BOOST_CHECK_EQUAL(DEFAULT_ANCESTOR_SIZE_LIMIT_KVB, 101U);
    BOOST_CHECK_EQUAL(DEFAULT_DESCENDANT_LIMIT, 25U);
    BOOST_CHECK_EQUAL(DEFAULT_DESCENDANT_SIZE_LIMIT_KVB, 101U);
    BOOST_CHECK_EQUAL(EXTRA_DESCENDANT_TX_SIZE_LIMIT, 10000U);
    BOOST_CHECK_EQUAL(TX_MIN_STANDARD_VERSION, 1U);
    BOOST_CHECK_EQUAL(TX_MAX_STANDARD_VERSION, 3U);
    BOOST_CHECK_EQUAL(MAX_DUST_OUTPUTS_PER_TX, 1U);
    BOOST_CHECK_EQUAL(MAX_BIP125_RBF_SEQUENCE, 0xfffffffdU);
}

BOOST_AUTO_TEST_CASE(script_flag_sets)
{
    BOOST_CHECK_EQUAL(FormatScriptFlags(MANDATORY_SCRIPT_VERIFY_FLAGS),
                      "P2SH,DERSIG,NULLDUMMY,CHECKLOCKTIMEVERIFY,CHECKSEQUENCEVERIFY,WITNESS,TAPROOT");
    // Standard is every flag there is but SIGPUSHONLY (push-only scriptSigs
    // are IsStandardTx's own check).
    BOOST_CHECK_EQUAL(STANDARD_SCRIPT_VERIFY_FLAGS, SCRIPT_VERIFY_ALL & ~SCRIPT_VERIFY_SIGPUSHONLY);
    BOOST_CHECK_EQUAL(STANDARD_NOT_MANDATORY_VERIFY_FLAGS & MANDATORY_SCRIPT_VERIFY_FLAGS, 0U);
    BOOST_CHECK_EQUAL(STANDARD_NOT_MANDATORY_VERIFY_FLAGS | MANDATORY_SCRIPT_VERIFY_FLAGS,
                      STANDARD_SCRIPT_VERIFY_FLAGS);
    BOOST_CHECK(STANDARD_NOT_MANDATORY_VERIFY_FLAGS & SCRIPT_VERIFY_LOW_S);
    BOOST_CHECK(!(STANDARD_NOT_MANDATORY_VERIFY_FLAGS & SCRIPT_VERIFY_DERSIG));
    BOOST_CHECK_EQUAL(STANDARD_LOCKTIME_VERIFY_FLAGS, LOCKTIME_VERIFY_SEQUENCE);
}

BOOST_AUTO_TEST_CASE(is_standard_output_templates)
{
    TxoutType type;
    BOOST_CHECK(IsStandard(P2PKH(), type) && type == TxoutType::PUBKEYHASH);
    BOOST_CHECK(IsStandard(P2PK(), type) && type == TxoutType::PUBKEY);
    BOOST_CHECK(IsStandard(P2SH(), type) && type == TxoutType::SCRIPTHASH);
    BOOST_CHECK(IsStandard(P2WPKH(), type) && type == TxoutType::WITNESS_V0_KEYHASH);
    BOOST_CHECK(IsStandard(P2WSH(), type) && type == TxoutType::WITNESS_V0_SCRIPTHASH);
    BOOST_CHECK(IsStandard(P2TR(), type) && type == TxoutType::WITNESS_V1_TAPROOT);
    BOOST_CHECK(IsStandard(P2A(), type) && type == TxoutType::ANCHOR);
    // Future witness versions are standard to create (not to spend).
    BOOST_CHECK(IsStandard(WitnessV2(), type) && type == TxoutType::WITNESS_UNKNOWN);
    BOOST_CHECK(IsStandard(OpReturn(80), type) && type == TxoutType::NULL_DATA);
    BOOST_CHECK(IsStandard(OpReturn(5000), type) && type == TxoutType::NULL_DATA);

    Script op_true;
    op_true << OP_1;
    BOOST_CHECK(!IsStandard(op_true, type));
    BOOST_CHECK(type == TxoutType::NONSTANDARD);
    BOOST_CHECK(!IsStandard(Script{}, type));
}

BOOST_AUTO_TEST_CASE(is_standard_bare_multisig_up_to_three_keys)
{
    TxoutType type;
    BOOST_CHECK(IsStandard(BareMultisig(1, 1), type) && type == TxoutType::MULTISIG);
    BOOST_CHECK(IsStandard(BareMultisig(2, 3), type));
    BOOST_CHECK(IsStandard(BareMultisig(3, 3), type));
    BOOST_CHECK(!IsStandard(BareMultisig(1, 4), type));
    BOOST_CHECK(type == TxoutType::MULTISIG); // classified, just not standard
    BOOST_CHECK(!IsStandard(BareMultisig(4, 16), type));
}

BOOST_AUTO_TEST_CASE(is_standard_single_output_datacarrier_form)
{
    TxoutType type;
    // 83 bytes: OP_RETURN, PUSHDATA1, length, 80 bytes of data.
    BOOST_CHECK_EQUAL(OpReturn(80).size(), 83U);
    BOOST_CHECK(IsStandard(OpReturn(80), 83U, type));
    BOOST_CHECK(!IsStandard(OpReturn(81), 83U, type));
    BOOST_CHECK(type == TxoutType::NULL_DATA);
    BOOST_CHECK(!IsStandard(OpReturn(0), std::nullopt, type)); // -datacarrier=0
    // Other outputs ignore the data-carrier setting.
    BOOST_CHECK(IsStandard(P2PKH(), std::nullopt, type));
    BOOST_CHECK(!IsStandard(BareMultisig(1, 4), 83U, type));
}

BOOST_AUTO_TEST_CASE(standard_tx_passes)
{
    BOOST_CHECK_EQUAL(Reason(StandardTx()), "ok");
    MutableTransaction tx = StandardTx(3);
    tx.vout.emplace_back(1000, P2PKH());
    tx.vout.emplace_back(1000, P2TR());
    tx.vout.emplace_back(240, P2A());
    tx.vout.emplace_back(0, OpReturn(40));
    tx.vout.emplace_back(1000, BareMultisig(1, 2));
    BOOST_CHECK_EQUAL(Reason(tx), "ok");
}

BOOST_AUTO_TEST_CASE(reason_version)
{
    for (uint32_t v : {1U, 2U, 3U}) {
        MutableTransaction tx = StandardTx();
        tx.version = v;
        BOOST_CHECK_EQUAL(Reason(tx), "ok");
    }
    for (uint32_t v : {0U, 4U, 0x80000002U, 0xffffffffU}) {
        MutableTransaction tx = StandardTx();
        tx.version = v;
        BOOST_CHECK_EQUAL(Reason(tx), "version");
    }
}

BOOST_AUTO_TEST_CASE(reason_tx_size_at_the_weight_limit)
{
    // Pad with one witness item until the weight is exactly the limit.
    MutableTransaction tx = StandardTx();
    tx.vin[0].witness.stack = {Bytes(300000, 0)};
    const int64_t weight = GetTransactionWeight(Transaction(tx));
    tx.vin[0].witness.stack[0].resize(size_t(300000 + (MAX_STANDARD_TX_WEIGHT - weight)));
    BOOST_REQUIRE_EQUAL(GetTransactionWeight(Transaction(tx)), MAX_STANDARD_TX_WEIGHT);
    BOOST_CHECK_EQUAL(Reason(tx), "ok");
    tx.vin[0].witness.stack[0].push_back(0);
    BOOST_CHECK_EQUAL(Reason(tx), "tx-size");
}

BOOST_AUTO_TEST_CASE(reason_scriptsig_size)
{
    MutableTransaction tx = StandardTx();
    // One push of 1647 bytes: PUSHDATA2 and a 2-byte length make 1650.
    tx.vin[0].script_sig = Script{} << Filled(1647, 1);
    BOOST_REQUIRE_EQUAL(tx.vin[0].script_sig.size(), 1650U);
    BOOST_CHECK_EQUAL(Reason(tx), "ok");
    tx.vin[0].script_sig = Script{} << Filled(1648, 1);
    BOOST_CHECK_EQUAL(Reason(tx), "scriptsig-size");
}

BOOST_AUTO_TEST_CASE(reason_scriptsig_not_pushonly)
{
    MutableTransaction tx = StandardTx(2);
    tx.vin[1].script_sig << OP_DUP;
    BOOST_CHECK_EQUAL(Reason(tx), "scriptsig-not-pushonly");
    // OP_1..OP_16 and OP_1NEGATE are pushes.
    tx.vin[1].script_sig = Script{} << OP_1 << OP_16 << OP_1NEGATE << OP_0;
    BOOST_CHECK_EQUAL(Reason(tx), "ok");
}

BOOST_AUTO_TEST_CASE(reason_scriptpubkey)
{
    MutableTransaction tx = StandardTx();
    tx.vout.emplace_back(10000, Script{} << OP_1);
    BOOST_CHECK_EQUAL(Reason(tx), "scriptpubkey");
    tx.vout.back() = TxOut(10000, BareMultisig(2, 4));
    BOOST_CHECK_EQUAL(Reason(tx), "scriptpubkey");
    // OP_RETURN followed by a non-push is not data but an unknown script.
    tx.vout.back() = TxOut(0, Script{} << OP_RETURN << OP_DUP);
    BOOST_CHECK_EQUAL(Reason(tx), "scriptpubkey");
}

BOOST_AUTO_TEST_CASE(reason_datacarrier_counts_all_op_returns)
{
    MutableTransaction tx = StandardTx();
    tx.vout.emplace_back(0, OpReturn(80)); // 83 bytes
    tx.vout.emplace_back(0, OpReturn(14)); // 16 bytes
    BOOST_CHECK_EQUAL(Reason(tx), "ok");   // several OP_RETURN outputs are fine (Core 30)
    BOOST_CHECK_EQUAL(Reason(tx, 99U), "ok");
    BOOST_CHECK_EQUAL(Reason(tx, 98U), "datacarrier");
    BOOST_CHECK_EQUAL(Reason(tx, 83U), "datacarrier"); // the second one no longer fits
    BOOST_CHECK_EQUAL(Reason(tx, std::nullopt), "datacarrier");
    // Large data: with the default limit the weight limit is what binds.
    MutableTransaction big = StandardTx();
    big.vout.emplace_back(0, OpReturn(50000)); // 50004 bytes
    big.vout.emplace_back(0, OpReturn(40000)); // 40004 bytes
    BOOST_CHECK_EQUAL(Reason(big), "ok");
    BOOST_CHECK_EQUAL(Reason(big, 90008U), "ok");
    BOOST_CHECK_EQUAL(Reason(big, 90007U), "datacarrier");
    // A bare OP_RETURN is one byte of the budget.
    MutableTransaction bare = StandardTx();
    bare.vout.emplace_back(0, OpReturn(0));
    BOOST_CHECK_EQUAL(Reason(bare, 1U), "ok");
    BOOST_CHECK_EQUAL(Reason(bare, 0U), "datacarrier");
}

BOOST_AUTO_TEST_CASE(reason_bare_multisig)
{
    MutableTransaction tx = StandardTx();
    tx.vout.emplace_back(10000, BareMultisig(1, 2));
    BOOST_CHECK_EQUAL(Reason(tx, MAX_OP_RETURN_RELAY, true), "ok");
    BOOST_CHECK_EQUAL(Reason(tx, MAX_OP_RETURN_RELAY, false), "bare-multisig");
}

BOOST_AUTO_TEST_CASE(reason_dust_allows_one_dust_output)
{
    MutableTransaction tx = StandardTx();
    tx.vout.emplace_back(0, P2A());
    BOOST_CHECK_EQUAL(Reason(tx), "ok"); // one: possibly ephemeral dust
    tx.vout.emplace_back(293, P2WPKH());
    BOOST_CHECK_EQUAL(Reason(tx), "dust");
    tx.vout.back().value = 294;
    BOOST_CHECK_EQUAL(Reason(tx), "ok");
}

BOOST_AUTO_TEST_CASE(reasons_come_in_cores_order)
{
    MutableTransaction all_bad = StandardTx();
    all_bad.vin[0].script_sig << OP_DUP;
    all_bad.vout.emplace_back(0, Script{} << OP_1);
    all_bad.vout.emplace_back(0, P2PKH());
    all_bad.vout.emplace_back(0, P2PKH());
    all_bad.version = 7;
    BOOST_CHECK_EQUAL(Reason(all_bad), "version");
    all_bad.version = 2;
    all_bad.vin[0].witness.stack = {Bytes(400000, 0)};
    BOOST_CHECK_EQUAL(Reason(all_bad), "tx-size");
    all_bad.vin[0].witness.stack.clear();
    // Size before push-only, input by input.
    MutableTransaction sig = all_bad;
    sig.vin.push_back(sig.vin[0]);
    sig.vin[1].script_sig = Script{} << Filled(2000, 1);
    BOOST_CHECK_EQUAL(Reason(sig), "scriptsig-not-pushonly");
    std::swap(sig.vin[0], sig.vin[1]);
    BOOST_CHECK_EQUAL(Reason(sig), "scriptsig-size");
    BOOST_CHECK_EQUAL(Reason(all_bad), "scriptsig-not-pushonly");
    all_bad.vin[0].script_sig = Script{} << Filled(71, 1);
    BOOST_CHECK_EQUAL(Reason(all_bad), "scriptpubkey"); // before dust
    all_bad.vout.erase(all_bad.vout.begin() + 1);
    BOOST_CHECK_EQUAL(Reason(all_bad), "dust");
    // Outputs are checked one by one: whichever of datacarrier and
    // bare-multisig comes first is reported.
    MutableTransaction outs = StandardTx();
    outs.vout.emplace_back(1000, BareMultisig(1, 1));
    outs.vout.emplace_back(0, OpReturn(100));
    BOOST_CHECK_EQUAL(Reason(outs, 50U, false), "bare-multisig");
    std::swap(outs.vout[1], outs.vout[2]);
    BOOST_CHECK_EQUAL(Reason(outs, 50U, false), "datacarrier");
}

BOOST_AUTO_TEST_CASE(dust_thresholds_at_3000_sat_per_kvb)
{
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, P2PKH()), DUST_RATE), 546);
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, P2SH()), DUST_RATE), 540);
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, P2PK()), DUST_RATE), 576);
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, P2WPKH()), DUST_RATE), 294);
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, P2WSH()), DUST_RATE), 330);
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, P2TR()), DUST_RATE), 330);
    // Pay-to-anchor gets no exemption: it is a witness program like any other.
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, P2A()), DUST_RATE), 240);
    // Provably unspendable outputs are never dust.
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, OpReturn(10)), DUST_RATE), 0);
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, Script(Bytes(MAX_SCRIPT_SIZE + 1, OP_NOP))), DUST_RATE), 0);
    // The threshold scales with the rate, rounded up.
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, P2PKH()), FeeRate{1000}), 182);
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, P2WPKH()), FeeRate{1}), 1);
    BOOST_CHECK_EQUAL(GetDustThreshold(TxOut(0, P2PKH()), FeeRate{0}), 0);
}

BOOST_AUTO_TEST_CASE(is_dust_and_get_dust)
{
    BOOST_CHECK(IsDust(TxOut(545, P2PKH()), DUST_RATE));
    BOOST_CHECK(!IsDust(TxOut(546, P2PKH()), DUST_RATE));
    BOOST_CHECK(IsDust(TxOut(0, P2A()), DUST_RATE));
    BOOST_CHECK(!IsDust(TxOut(0, OpReturn(1)), DUST_RATE));
    BOOST_CHECK(!IsDust(TxOut(0, P2A()), FeeRate{0})); // -dustrelayfee=0: nothing is dust

    MutableTransaction tx = StandardTx();
    tx.vout = {TxOut(100000, P2PKH()), TxOut(0, P2A()), TxOut(0, OpReturn(3)), TxOut(100, P2TR())};
    BOOST_CHECK(GetDust(Transaction(tx), DUST_RATE) == std::vector<uint32_t>({1, 3}));
    BOOST_CHECK(GetDust(Transaction(StandardTx()), DUST_RATE).empty());
}

BOOST_AUTO_TEST_CASE(inputs_standard_by_spent_template)
{
    const MutableTransaction tx = StandardTx();
    for (const Script& spk : {P2PKH(), P2PK(), P2WPKH(), P2WSH(), P2TR(), P2A(), BareMultisig(1, 3)}) {
        BOOST_CHECK(InputsStandard(tx, {CoinOf(spk)}));
    }
    // Spending a non-standard script, or a witness version with no meaning yet.
    BOOST_CHECK(!InputsStandard(tx, {CoinOf(Script{} << OP_1)}));
    BOOST_CHECK(!InputsStandard(tx, {CoinOf(WitnessV2())}));
    // Unlike creating one: bare multisig over 3 keys is non-standard to
    // create, yet a known template to spend.
    BOOST_CHECK(InputsStandard(tx, {CoinOf(BareMultisig(1, 5))}));
    // A coinbase spends nothing.
    MutableTransaction cb;
    cb.vin.emplace_back();
    cb.vin[0].script_sig << OP_1 << OP_1;
    cb.vout.emplace_back(50 * COIN, P2WPKH());
    BOOST_CHECK(AreInputsStandard(Transaction(cb), {}));
}

BOOST_AUTO_TEST_CASE(inputs_standard_p2sh_redeem_script)
{
    Script redeem15, redeem16;
    for (int i = 0; i < 15; ++i) redeem15 << OP_CHECKSIG;
    redeem16 = redeem15;
    redeem16 << OP_CHECKSIGVERIFY;
    MutableTransaction tx = StandardTx();
    tx.vin[0].script_sig = Script{} << Filled(71, 1) << redeem15.bytes();
    BOOST_CHECK(InputsStandard(tx, {CoinOf(P2SH())}));
    tx.vin[0].script_sig = Script{} << Filled(71, 1) << redeem16.bytes();
    BOOST_CHECK(!InputsStandard(tx, {CoinOf(P2SH())}));
    // Accurate counting: OP_3 CHECKMULTISIG counts 3, a bare CHECKMULTISIG 20.
    Script ms3 = BareMultisig(1, 3);
    tx.vin[0].script_sig = Script{} << OP_0 << Filled(71, 1) << ms3.bytes();
    BOOST_CHECK(InputsStandard(tx, {CoinOf(P2SH())}));
    tx.vin[0].script_sig = Script{} << (Script{} << OP_CHECKMULTISIG).bytes();
    BOOST_CHECK(!InputsStandard(tx, {CoinOf(P2SH())}));
    // A scriptSig that fails to run, or leaves nothing to be the redeem script.
    tx.vin[0].script_sig = Script{} << OP_RETURN;
    BOOST_CHECK(!InputsStandard(tx, {CoinOf(P2SH())}));
    tx.vin[0].script_sig = Script{};
    BOOST_CHECK(!InputsStandard(tx, {CoinOf(P2SH())}));
    // An empty push is an (empty) redeem script with no sigops.
    tx.vin[0].script_sig = Script{} << OP_0;
    BOOST_CHECK(InputsStandard(tx, {CoinOf(P2SH())}));
}

BOOST_AUTO_TEST_CASE(inputs_standard_bip54_legacy_sigops)
{
    // Each input: a P2SH redeem script with 15 CHECKSIGs, the most that is
    // standard per input. 166 inputs make 2490 sigops, 167 make 2505.
    Script redeem;
    for (int i = 0; i < 15; ++i) redeem << OP_CHECKSIG;
    auto build = [&](size_t n) {
        MutableTransaction tx = StandardTx(n);
        for (TxIn& in : tx.vin) in.script_sig = Script{} << redeem.bytes();
        return tx;
    };
    std::vector<Coin> coins(167, CoinOf(P2SH()));
    MutableTransaction tx = build(166);
    coins.resize(166);
    BOOST_CHECK_EQUAL(GetLegacySigOpsBIP54(Transaction(tx), Ptrs(coins)), 2490U);
    BOOST_CHECK(InputsStandard(tx, coins));
    tx = build(167);
    coins.push_back(CoinOf(P2SH()));
    BOOST_CHECK_EQUAL(GetLegacySigOpsBIP54(Transaction(tx), Ptrs(coins)), 2505U);
    BOOST_CHECK(!InputsStandard(tx, coins));
}

BOOST_AUTO_TEST_CASE(bip54_counts_scriptsig_and_spent_scriptpubkey)
{
    MutableTransaction tx = StandardTx(3);
    tx.vin[0].script_sig = Script{} << OP_CHECKSIG; // 1, in the scriptSig itself
    const std::vector<Coin> coins{CoinOf(P2PKH()),           // 1
                                  CoinOf(BareMultisig(2, 3)), // 3 (accurate)
                                  CoinOf(P2WPKH())};          // 0: witness sigops are not legacy
    BOOST_CHECK_EQUAL(GetLegacySigOpsBIP54(Transaction(tx), Ptrs(coins)), 5U);
}

BOOST_AUTO_TEST_CASE(input_checks_refuse_missing_coins)
{
    const MutableTransaction tx = StandardTx(2);
    const std::vector<Coin> one{CoinOf(P2PKH())};
    BOOST_CHECK(!InputsStandard(tx, one));
    BOOST_CHECK(!WitnessStandard(tx, one));
    const Coin c = CoinOf(P2PKH());
    const std::vector<const Coin*> with_null{&c, nullptr};
    BOOST_CHECK(!AreInputsStandard(Transaction(tx), with_null));
    BOOST_CHECK(!IsWitnessStandard(Transaction(tx), with_null));
}

BOOST_AUTO_TEST_CASE(witness_standard_basics)
{
    // No witness anywhere: nothing to check.
    BOOST_CHECK(WitnessStandard(StandardTx(), {CoinOf(P2PKH())}));
    BOOST_CHECK(WitnessStandard(WitnessSpend({Filled(71, 1), FakeKey(3)}), {CoinOf(P2WPKH())}));
    // A witness on a non-witness output is stuffing.
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Filled(71, 1)}), {CoinOf(P2PKH())}));
    // Pay-to-anchor is spent with an empty witness only.
    BOOST_CHECK(WitnessStandard(WitnessSpend({}), {CoinOf(P2A())}));
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Bytes{}}), {CoinOf(P2A())}));
    // Undefined versions pass here (AreInputsStandard refuses them).
    BOOST_CHECK(WitnessStandard(WitnessSpend({Filled(100, 1)}), {CoinOf(WitnessV2())}));
}

BOOST_AUTO_TEST_CASE(witness_standard_p2wsh_limits)
{
    const std::vector<Coin> coins{CoinOf(P2WSH())};
    BOOST_CHECK(WitnessStandard(WitnessSpend({Filled(80, 1), Filled(3600, OP_NOP)}), coins));
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Filled(80, 1), Filled(3601, OP_NOP)}), coins));
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Filled(81, 1), Filled(10, OP_NOP)}), coins));
    std::vector<Bytes> items(100, Filled(1, 1));
    items.push_back(Filled(10, OP_NOP));
    BOOST_CHECK(WitnessStandard(WitnessSpend(items), coins));
    items.insert(items.begin(), Filled(1, 1));
    BOOST_CHECK(!WitnessStandard(WitnessSpend(items), coins));
    // The witness script itself may be larger than an item.
    BOOST_CHECK(WitnessStandard(WitnessSpend({Filled(500, OP_NOP)}), coins));
}

BOOST_AUTO_TEST_CASE(witness_standard_p2sh_wrapped)
{
    Script p2sh_p2wsh_redeem;
    p2sh_p2wsh_redeem << OP_0 << Filled(32, 4);
    const Script script_sig = Script{} << p2sh_p2wsh_redeem.bytes();
    const std::vector<Coin> coins{CoinOf(P2SH())}; // hash not checked here
    BOOST_CHECK(WitnessStandard(WitnessSpend({Filled(80, 1), Filled(100, OP_NOP)}, script_sig), coins));
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Filled(81, 1), Filled(100, OP_NOP)}, script_sig), coins));
    // A P2SH redeem script that is not a witness program may not carry a witness.
    const Script plain = Script{} << (Script{} << OP_1).bytes();
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Filled(1, 1)}, plain), coins));
    // The scriptSig must evaluate to a non-empty stack.
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Filled(1, 1)}, Script{}), coins));
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Filled(1, 1)}, Script{} << OP_RETURN), coins));
    // Wrapped taproot is not taproot (v1 P2SH spends are unencumbered): no
    // annex or tapscript rules.
    Script wrapped_tr;
    wrapped_tr << OP_1 << Filled(32, 5);
    const Script tr_sig = Script{} << wrapped_tr.bytes();
    BOOST_CHECK(WitnessStandard(WitnessSpend({Filled(64, 1), Bytes{0x50}}, tr_sig), coins));
}

BOOST_AUTO_TEST_CASE(witness_standard_taproot)
{
    const std::vector<Coin> coins{CoinOf(P2TR())};
    const Bytes control(33, 0xc0);
    const Bytes tapscript{OP_1};
    // Key path: one element, no rules.
    BOOST_CHECK(WitnessStandard(WitnessSpend({Filled(64, 1)}), coins));
    // An annex (last of two or more, first byte 0x50) is non-standard.
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Filled(64, 1), Bytes{0x50}}), coins));
    BOOST_CHECK(!WitnessStandard(WitnessSpend({tapscript, control, Bytes{0x50, 1}}), coins));
    // Script path: items up to 80 bytes under leaf version 0xc0 (either parity).
    BOOST_CHECK(WitnessStandard(WitnessSpend({Filled(80, 1), tapscript, control}), coins));
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Filled(81, 1), tapscript, control}), coins));
    Bytes odd = control;
    odd[0] = 0xc1;
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Filled(81, 1), tapscript, odd}), coins));
    // Another leaf version: the item limit does not apply.
    Bytes other = control;
    other[0] = 0xc2;
    BOOST_CHECK(WitnessStandard(WitnessSpend({Filled(81, 1), tapscript, other}), coins));
    // The script itself is not an item.
    BOOST_CHECK(WitnessStandard(WitnessSpend({Filled(500, OP_NOP), control}), coins));
    // An empty control block is invalid.
    BOOST_CHECK(!WitnessStandard(WitnessSpend({tapscript, Bytes{}}), coins));
    // An empty last element is not an annex, but an empty control block.
    BOOST_CHECK(!WitnessStandard(WitnessSpend({Filled(64, 1), Bytes{}}), coins));
}

BOOST_AUTO_TEST_CASE(virtual_size)
{
    BOOST_CHECK_EQUAL(GetVirtualTransactionSize(400, 0, 0), 100);
    BOOST_CHECK_EQUAL(GetVirtualTransactionSize(401, 0, 20), 101); // rounded up
    BOOST_CHECK_EQUAL(GetVirtualTransactionSize(400, 20, 20), 100);
    BOOST_CHECK_EQUAL(GetVirtualTransactionSize(400, 21, 20), 105); // sigops dominate
    BOOST_CHECK_EQUAL(GetVirtualTransactionSize(400, 1000, 0), 100);
    const Transaction tx(StandardTx());
    const int64_t weight = GetTransactionWeight(tx);
    BOOST_CHECK_EQUAL(GetVirtualTransactionSize(tx, 0, DEFAULT_BYTES_PER_SIGOP), (weight + 3) / 4);
    BOOST_CHECK_EQUAL(GetVirtualTransactionSize(tx), (weight + 3) / 4);
    BOOST_CHECK_EQUAL(GetVirtualTransactionSize(tx, 4000, DEFAULT_BYTES_PER_SIGOP), 20000);
}

BOOST_AUTO_TEST_CASE(signals_opt_in_rbf)
{
    MutableTransaction tx = StandardTx(2);
    BOOST_CHECK(!SignalsOptInRBF(Transaction(tx))); // both final
    tx.vin[1].sequence = 0xfffffffe;
    BOOST_CHECK(!SignalsOptInRBF(Transaction(tx)));
    tx.vin[1].sequence = 0xfffffffd;
    BOOST_CHECK(SignalsOptInRBF(Transaction(tx)));
    tx.vin[1].sequence = 0;
    BOOST_CHECK(SignalsOptInRBF(Transaction(tx)));
}

BOOST_AUTO_TEST_SUITE_END()
