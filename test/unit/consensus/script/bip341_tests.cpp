// BIP 341's wallet vectors: output construction from an internal key and a
// script tree (leaf and branch hashes, tweak, scriptPubKey, control blocks),
// and key-path signing (the shared sighash parts, each input's SigMsg and
// sighash, the signature, and that the interpreter accepts it).
#include "consensus/script/interpreter.h"
#include "consensus/script/sighash.h"
#include "consensus/script/taproot.h"
#include "crypto/key.h"
#include "crypto/pubkey.h"
#include "test/unit/consensus/script/script_test_util.h"
#include "test/util/vectors.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

#include <map>

using namespace cairn;
using namespace cairn::test;

namespace {

std::string Hex(const uint256& h) { return HexStr(h.span()); }

uint256 FromBytes(const std::string& hex) { return uint256(ParseHex(hex)); }

struct Leaf {
    int id;
    uint8_t version;
    Bytes script;
    uint256 hash;
    Bytes path; // sibling hashes from the leaf up
};

/** Hashes a script tree (a leaf object, or an array of two subtrees) and
 *  records each leaf's merkle path. Returns the subtree's hash. */
uint256 WalkTree(const UniValue& node, std::vector<Leaf>& leaves)
{
    if (node.isObject()) {
        Leaf leaf;
        leaf.id = int(node["id"].get_int64());
        leaf.version = uint8_t(node["leafVersion"].get_int64());
        leaf.script = ParseHex(node["script"].get_str());
        leaf.hash = ComputeTapleafHash(leaf.version, leaf.script);
        leaves.push_back(leaf);
        return leaf.hash;
    }
    BOOST_REQUIRE(node.isArray() && node.size() == 2);
    const size_t left_begin = leaves.size();
    const uint256 left = WalkTree(node[0], leaves);
    const size_t right_begin = leaves.size();
    const uint256 right = WalkTree(node[1], leaves);
    // Every leaf on one side gets the other side's hash as its next path node.
    for (size_t i = left_begin; i < right_begin; ++i) leaves[i].path.insert(leaves[i].path.end(), right.begin(), right.end());
    for (size_t i = right_begin; i < leaves.size(); ++i) leaves[i].path.insert(leaves[i].path.end(), left.begin(), left.end());
    return ComputeTapbranchHash(left.span(), right.span());
}

} // namespace

BOOST_AUTO_TEST_SUITE(bip341_tests)

BOOST_AUTO_TEST_CASE(script_pubkey_construction)
{
    const UniValue vectors = ReadJsonVectors("core/bip341_wallet_vectors.json");
    const UniValue& cases = vectors["scriptPubKey"];
    BOOST_REQUIRE(cases.isArray());
    size_t n = 0;
    for (size_t idx = 0; idx < cases.size(); ++idx) {
        const UniValue& c = cases[idx];
        const std::string text = c.write();
        ++n;
        const XOnlyPubKey internal{ParseHex(c["given"]["internalPubkey"].get_str())};
        const UniValue& tree = c["given"]["scriptTree"];
        const UniValue& inter = c["intermediary"];

        std::vector<Leaf> leaves;
        std::optional<uint256> merkle_root;
        if (!tree.isNull()) merkle_root = WalkTree(tree, leaves);

        if (inter["merkleRoot"].isNull()) {
            BOOST_CHECK_MESSAGE(!merkle_root, text);
        } else {
            BOOST_REQUIRE(merkle_root);
            BOOST_CHECK_MESSAGE(Hex(*merkle_root) == inter["merkleRoot"].get_str(), text);
        }
        if (!inter["leafHashes"].isNull()) {
            const UniValue& hashes = inter["leafHashes"];
            for (const Leaf& leaf : leaves) {
                BOOST_CHECK_MESSAGE(Hex(leaf.hash) == hashes[size_t(leaf.id)].get_str(), "leaf " << leaf.id << ": " << text);
            }
        }

        const uint256* root = merkle_root ? &*merkle_root : nullptr;
        BOOST_CHECK_MESSAGE(Hex(internal.ComputeTapTweakHash(root)) == inter["tweak"].get_str(), text);
        const auto tweaked = internal.CreateTapTweak(root);
        BOOST_REQUIRE(tweaked);
        const auto& [output_key, parity] = *tweaked;
        BOOST_CHECK_MESSAGE(HexStr(output_key.span()) == inter["tweakedPubkey"].get_str(), text);

        const Script spk = Script() << OP_1 << Bytes(output_key.span().begin(), output_key.span().end());
        BOOST_CHECK_MESSAGE(HexStr(spk.span()) == c["expected"]["scriptPubKey"].get_str(), text);

        // Control blocks: the interpreter must accept each as proof for its leaf.
        const UniValue& controls = c["expected"]["scriptPathControlBlocks"];
        if (!controls.isNull()) {
            BOOST_REQUIRE_EQUAL(controls.size(), leaves.size());
            for (const Leaf& leaf : leaves) {
                Bytes control{uint8_t(leaf.version | (parity ? 1 : 0))};
                control.insert(control.end(), internal.span().begin(), internal.span().end());
                control.insert(control.end(), leaf.path.begin(), leaf.path.end());
                BOOST_CHECK_MESSAGE(HexStr(control) == controls[size_t(leaf.id)].get_str(), "leaf " << leaf.id << ": " << text);
                BOOST_CHECK(ComputeTaprootMerkleRoot(control, leaf.hash) == *merkle_root);
                BOOST_CHECK(output_key.CheckTapTweak(internal, *merkle_root, parity));
            }
        }
    }
    ReportCases("core/bip341_wallet_vectors.json scriptPubKey", n);
    BOOST_CHECK_EQUAL(n, 7U);
}

BOOST_AUTO_TEST_CASE(key_path_spending)
{
    const UniValue vectors = ReadJsonVectors("core/bip341_wallet_vectors.json");
    const UniValue& groups = vectors["keyPathSpending"];
    BOOST_REQUIRE(groups.isArray());
    size_t n = 0;
    for (size_t g = 0; g < groups.size(); ++g) {
        const UniValue& group = groups[g];
        const Bytes raw = ParseHex(group["given"]["rawUnsignedTx"].get_str());
        Reader r(raw);
        MutableTransaction tx = DeserializeMutableTransaction(r);
        BOOST_REQUIRE(r.empty());

        std::vector<TxOut> spent;
        const UniValue& utxos = group["given"]["utxosSpent"];
        for (size_t i = 0; i < utxos.size(); ++i) {
            spent.emplace_back(utxos[i]["amountSats"].get_int64(), Script(ParseHex(utxos[i]["scriptPubKey"].get_str())));
        }
        BOOST_REQUIRE_EQUAL(spent.size(), tx.vin.size());

        const PrecomputedTxData txdata(tx, spent, /*force=*/true);
        BOOST_REQUIRE(txdata.bip341_ready);
        const UniValue& shared = group["intermediary"];
        BOOST_CHECK_EQUAL(Hex(txdata.amounts_sha), shared["hashAmounts"].get_str());
        BOOST_CHECK_EQUAL(Hex(txdata.outputs_sha), shared["hashOutputs"].get_str());
        BOOST_CHECK_EQUAL(Hex(txdata.prevouts_sha), shared["hashPrevouts"].get_str());
        BOOST_CHECK_EQUAL(Hex(txdata.scriptpubkeys_sha), shared["hashScriptPubkeys"].get_str());
        BOOST_CHECK_EQUAL(Hex(txdata.sequences_sha), shared["hashSequences"].get_str());

        const UniValue& inputs = group["inputSpending"];
        std::map<size_t, Bytes> signatures;
        for (size_t k = 0; k < inputs.size(); ++k) {
            const UniValue& input = inputs[k];
            const std::string text = input.write();
            ++n;
            const size_t in = size_t(input["given"]["txinIndex"].get_int64());
            const uint8_t hash_type = uint8_t(input["given"]["hashType"].get_int64());
            const UniValue& root_value = input["given"]["merkleRoot"];
            const std::optional<uint256> merkle_root =
                root_value.isNull() ? std::nullopt : std::optional<uint256>(FromBytes(root_value.get_str()));
            const uint256* root = merkle_root ? &*merkle_root : nullptr;
            const UniValue& inter = input["intermediary"];

            Key key;
            BOOST_REQUIRE(key.Set(ParseHex(input["given"]["internalPrivkey"].get_str()), true));
            const XOnlyPubKey internal = key.GetXOnlyPubKey();
            BOOST_CHECK_MESSAGE(HexStr(internal.span()) == inter["internalPubkey"].get_str(), text);
            BOOST_CHECK_MESSAGE(Hex(internal.ComputeTapTweakHash(root)) == inter["tweak"].get_str(), text);

            ScriptExecutionData execdata; // key path, no annex
            Bytes msg;
            VectorWriter w(msg);
            BOOST_REQUIRE(WriteTaprootSigMsg(w, execdata, tx, unsigned(in), hash_type, SigVersion::TAPROOT, txdata));
            BOOST_CHECK_MESSAGE(HexStr(msg) == inter["sigMsg"].get_str(), text);
            uint256 sighash;
            BOOST_REQUIRE(TaprootSignatureHash(sighash, execdata, tx, unsigned(in), hash_type, SigVersion::TAPROOT, txdata));
            BOOST_CHECK_MESSAGE(Hex(sighash) == inter["sigHash"].get_str(), text);

            // Signed with all-zero auxiliary randomness, as the vectors were.
            const uint256 aux;
            uint8_t sig[64];
            BOOST_REQUIRE(key.SignSchnorrTaproot(sighash, sig, root, &aux));
            Bytes witness_sig(sig, sig + 64);
            if (hash_type != SIGHASH_DEFAULT) witness_sig.push_back(hash_type);
            BOOST_CHECK_MESSAGE(HexStr(witness_sig) == input["expected"]["witness"][0].get_str(), text);
            signatures[in] = witness_sig;
        }

        // With the signatures in place, the interpreter accepts each signed
        // input, against both the immutable and the mutable transaction.
        for (const auto& [in, sig] : signatures) tx.vin[in].witness.stack = {sig};
        const Transaction signed_tx(tx);
        const PrecomputedTxData signed_data(signed_tx, spent);
        const PrecomputedTxData signed_mdata(tx, spent);
        const ScriptFlags flags = SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS | SCRIPT_VERIFY_TAPROOT;
        for (const auto& [in, sig] : signatures) {
            ScriptError err;
            const TransactionSignatureChecker checker(signed_tx, unsigned(in), spent[in].value, signed_data);
            BOOST_CHECK_MESSAGE(VerifyScript(signed_tx.vin[in].script_sig, spent[in].script_pubkey,
                                             &signed_tx.vin[in].witness, flags, checker, &err),
                                "input " << in << ": " << ScriptErrorName(err));
            const MutableTransactionSignatureChecker mchecker(tx, unsigned(in), spent[in].value, signed_mdata);
            BOOST_CHECK(VerifyScript(tx.vin[in].script_sig, spent[in].script_pubkey, &tx.vin[in].witness, flags,
                                     mchecker, &err));
            // The amount spent is committed to (in every hash type).
            std::vector<TxOut> other = spent;
            other[in].value += 1;
            const PrecomputedTxData other_data(signed_tx, other);
            const TransactionSignatureChecker bad(signed_tx, unsigned(in), other[in].value, other_data);
            BOOST_CHECK(!VerifyScript(signed_tx.vin[in].script_sig, spent[in].script_pubkey, &signed_tx.vin[in].witness,
                                      flags, bad, &err));
            BOOST_CHECK(err == ScriptError::SCHNORR_SIG);
        }
    }
    ReportCases("core/bip341_wallet_vectors.json keyPathSpending", n);
    BOOST_CHECK_EQUAL(n, 7U);
}

BOOST_AUTO_TEST_SUITE_END()
