// BIP 325 block solutions: the real signet's genesis block, and blocks built
// here against custom challenges (a trivial OP_TRUE, a bare 1-of-1 multisig
// signed with a test key, a P2WPKH challenge solved with a witness).
#include "consensus/block_check.h"
#include "consensus/chain_params.h"
#include "consensus/merkle.h"
#include "consensus/script/sighash.h"
#include "consensus/signet.h"
#include "test/util/chain_builder.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;
using namespace cairn::test;

namespace {

std::unique_ptr<const ChainParams> SignetWith(const Script& challenge)
{
    ChainParamsOptions opts;
    opts.signet_challenge = challenge.bytes();
    return CreateChainParams(ChainType::SIGNET, opts);
}

/** A regtest-built block with a witness commitment: a signet block template
 *  before signing (the solution check does not look at proof of work). */
Block Template(ChainBuilder& builder)
{
    return builder.CreateBlock(builder.GenesisHash(), {}, {.witness_commitment = true});
}

/** Replaces the push after the commitment in the coinbase's commitment
 *  output by SIGNET_HEADER || `solution` (no solution: the header alone). */
void SetSolution(Block& block, const Bytes& solution)
{
    MutableTransaction cb = ToMutable(*block.vtx[0]);
    const int pos = GetWitnessCommitmentIndex(block);
    BOOST_REQUIRE(pos >= 0);
    Script& s = cb.vout[pos].script_pubkey;
    s = Script(Bytes(s.begin(), s.begin() + 38)); // OP_RETURN <36-byte commitment>
    Bytes push(std::begin(SIGNET_HEADER), std::end(SIGNET_HEADER));
    push.insert(push.end(), solution.begin(), solution.end());
    s << push;
    block.vtx[0] = MakeTransactionRef(std::move(cb));
    block.merkle_root = BlockMerkleRoot(block);
}

Bytes SerializeSolution(const Script& script_sig, const std::vector<Bytes>& witness)
{
    Bytes out;
    VectorWriter w(out);
    WriteVarBytes(w, script_sig.span());
    WriteCompactSize(w, witness.size());
    for (const Bytes& item : witness) WriteVarBytes(w, item);
    return out;
}

/** Signs `block` for `challenge` the BIP 325 way: build to_spend/to_sign from
 *  the block with an empty solution, sign to_sign's input, put the solution in. */
void Sign(Block& block, const Script& challenge, const Key& key)
{
    SetSolution(block, {});
    auto txs = SignetTxs::Create(block, challenge);
    BOOST_REQUIRE(txs);
    const MutableTransaction& to_sign = txs->to_sign;
    BOOST_REQUIRE(to_sign.vin[0].prevout == OutPoint(txs->to_spend.GetTxid(), 0));
    const PubKey pub = key.GetPubKey();
    int version = -1;
    ByteSpan program;
    Bytes sig;
    if (challenge.IsWitnessProgram(version, program)) {
        // P2WPKH: BIP 143 over the implied P2PKH script, amount 0.
        const PrecomputedTxData txdata(to_sign, {txs->to_spend.vout[0]});
        const uint256 hash = SignatureHash(P2PKHScript(key).span(), to_sign, 0, SIGHASH_ALL, 0, SigVersion::WITNESS_V0, &txdata);
        BOOST_REQUIRE(key.SignEcdsa(hash, sig));
        sig.push_back(SIGHASH_ALL);
        SetSolution(block, SerializeSolution(Script(), {sig, Bytes(pub.begin(), pub.end())}));
    } else {
        // Bare multisig: OP_0 <sig>.
        const uint256 hash = SignatureHash(challenge.span(), to_sign, 0, SIGHASH_ALL, 0, SigVersion::BASE);
        BOOST_REQUIRE(key.SignEcdsa(hash, sig));
        sig.push_back(SIGHASH_ALL);
        SetSolution(block, SerializeSolution(Script() << OP_0 << sig, {}));
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(signet_tests)

BOOST_AUTO_TEST_CASE(real_signet_genesis)
{
    const auto params = CreateChainParams(ChainType::SIGNET);
    const Block& genesis = params->GenesisBlock();
    BOOST_CHECK_EQUAL(genesis.GetHash().GetHex(), "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6");
    BOOST_CHECK(CheckSignetBlockSolution(genesis, params->consensus));
    BlockValidationState state;
    BOOST_CHECK(CheckBlock(genesis, state, params->consensus));
    // Only the genesis block is exempt: the same block with another nonce has no solution.
    Block other = genesis;
    ++other.nonce;
    BOOST_CHECK(!CheckSignetBlockSolution(other, params->consensus));
    // The genesis block of a custom signet is the same block, and also exempt.
    const auto custom = SignetWith(Script() << OP_FALSE);
    BOOST_CHECK(custom->consensus.genesis_hash == params->consensus.genesis_hash);
    BOOST_CHECK(CheckSignetBlockSolution(genesis, custom->consensus));
}

BOOST_AUTO_TEST_CASE(op_true_challenge)
{
    const auto regtest = CreateChainParams(ChainType::REGTEST);
    ChainBuilder builder(*regtest);
    const auto params = SignetWith(Script() << OP_TRUE);
    // A block needs a witness commitment to carry a solution at all.
    const Block bare = builder.CreateBlock(builder.GenesisHash());
    BOOST_REQUIRE_EQUAL(GetWitnessCommitmentIndex(bare), -1);
    BOOST_CHECK(!SignetTxs::Create(bare, Script() << OP_TRUE));
    BOOST_CHECK(!CheckSignetBlockSolution(bare, params->consensus));
    // With one, OP_TRUE needs no solution, nor does an empty one hurt.
    Block block = Template(builder);
    BOOST_CHECK(CheckSignetBlockSolution(block, params->consensus));
    SetSolution(block, SerializeSolution(Script(), {}));
    BOOST_CHECK(CheckSignetBlockSolution(block, params->consensus));
    // A solution that does not parse (trailing bytes) fails even OP_TRUE.
    Bytes junk = SerializeSolution(Script(), {});
    junk.push_back(0);
    SetSolution(block, junk);
    BOOST_CHECK(!CheckSignetBlockSolution(block, params->consensus));
    // A challenge nothing satisfies.
    BOOST_CHECK(!CheckSignetBlockSolution(Template(builder), SignetWith(Script() << OP_FALSE)->consensus));
    // As in Bitcoin Core, CheckBlock checks the solution only together with
    // the proof of work (which a regtest-mined block fails on signet).
    BlockValidationState state;
    BOOST_CHECK(CheckBlock(bare, state, params->consensus, false));
    BOOST_CHECK(!CheckBlock(bare, state, params->consensus, true));
    BOOST_CHECK_EQUAL(state.GetRejectReason(), "high-hash");
}

BOOST_AUTO_TEST_CASE(one_of_one_multisig_challenge)
{
    const auto regtest = CreateChainParams(ChainType::REGTEST);
    ChainBuilder builder(*regtest);
    const Key key = TestKey(325);
    const Script challenge = Script() << OP_1 << key.GetPubKey().span() << OP_1 << OP_CHECKMULTISIG;
    const auto params = SignetWith(challenge);
    BOOST_CHECK(params->message_start == SignetMessageStart(challenge));

    Block block = Template(builder);
    BOOST_CHECK(!CheckSignetBlockSolution(block, params->consensus)); // unsigned
    Sign(block, challenge, key);
    BOOST_CHECK(CheckSignetBlockSolution(block, params->consensus));

    // The nonce (and bits) are not signed: mining after signing keeps the solution.
    Block mined = block;
    mined.nonce += 12345;
    mined.bits = 0x1d00ffff;
    BOOST_CHECK(CheckSignetBlockSolution(mined, params->consensus));
    // Time, version, parent and transactions are.
    Block changed = block;
    ++changed.time;
    BOOST_CHECK(!CheckSignetBlockSolution(changed, params->consensus));
    changed = block;
    changed.version ^= 1;
    BOOST_CHECK(!CheckSignetBlockSolution(changed, params->consensus));
    changed = block;
    changed.prev_block = uint256::ONE;
    BOOST_CHECK(!CheckSignetBlockSolution(changed, params->consensus));
    changed = block;
    changed.vtx.push_back(MakeTransactionRef(SpendTo(OutputOf(*block.vtx[0]), OpTrueScript())));
    BOOST_CHECK(!CheckSignetBlockSolution(changed, params->consensus));

    // Signed by another key.
    Block wrong = Template(builder);
    Sign(wrong, challenge, TestKey(326));
    BOOST_CHECK(!CheckSignetBlockSolution(wrong, params->consensus));
    // The same solution for another challenge.
    BOOST_CHECK(!CheckSignetBlockSolution(block, SignetWith(Script() << OP_1 << TestKey(326).GetPubKey().span() << OP_1
                                                                     << OP_CHECKMULTISIG)->consensus));
}

BOOST_AUTO_TEST_CASE(witness_challenge)
{
    const auto regtest = CreateChainParams(ChainType::REGTEST);
    ChainBuilder builder(*regtest);
    const Key key = TestKey(9);
    const Script challenge = P2WPKHScript(key);
    const auto params = SignetWith(challenge);
    Block block = Template(builder);
    Sign(block, challenge, key);
    auto txs = SignetTxs::Create(block, challenge);
    BOOST_REQUIRE(txs);
    BOOST_CHECK(txs->to_sign.vin[0].script_sig.empty());
    BOOST_CHECK_EQUAL(txs->to_sign.vin[0].witness.stack.size(), 2U);
    BOOST_CHECK(CheckSignetBlockSolution(block, params->consensus));
    // Dropping the witness item with the key fails.
    auto sig = txs->to_sign.vin[0].witness.stack[0];
    SetSolution(block, SerializeSolution(Script(), {sig}));
    BOOST_CHECK(!CheckSignetBlockSolution(block, params->consensus));
}

BOOST_AUTO_TEST_SUITE_END()
