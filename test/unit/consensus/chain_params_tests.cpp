#include "consensus/chain_params.h"

#include "consensus/merkle.h"
#include "consensus/pow.h"
#include "consensus/script/script_flags.h"
#include "test/util/blkfile.h"
#include "test/util/vectors.h"
#include "util/arith_uint256.h"
#include "util/hex.h"

#include <boost/test/unit_test.hpp>

using namespace cairn;

namespace {

uint256 H(std::string_view hex) { return *uint256::FromHex(hex); }

struct Expected {
    ChainType chain;
    std::string_view genesis_hash;
    std::string_view merkle_root;
    MessageStart magic;
    uint16_t port;
    uint32_t genesis_bits;
    uint32_t genesis_time;
    uint32_t genesis_nonce;
    std::string_view name;
};

const Expected EXPECTED[] = {
    {ChainType::MAIN, "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
     "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b", {0xf9, 0xbe, 0xb4, 0xd9}, 8333, 0x1d00ffff,
     1231006505, 2083236893, "main"},
    {ChainType::TESTNET, "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943",
     "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b", {0x0b, 0x11, 0x09, 0x07}, 18333, 0x1d00ffff,
     1296688602, 414098458, "test"},
    {ChainType::TESTNET4, "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043",
     "7aa0a7ae1e223414cb807e40cd57e667b718e42aaf9306db9102fe28912b7b4e", {0x1c, 0x16, 0x3f, 0x28}, 48333, 0x1d00ffff,
     1714777860, 393743547, "testnet4"},
    {ChainType::SIGNET, "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6",
     "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b", {0x0a, 0x03, 0xcf, 0x40}, 38333, 0x1e0377ae,
     1598918400, 52613770, "signet"},
    {ChainType::REGTEST, "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
     "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b", {0xfa, 0xbf, 0xb5, 0xda}, 18444, 0x207fffff,
     1296688602, 2, "regtest"},
};

} // namespace

BOOST_AUTO_TEST_SUITE(chain_params_tests)

BOOST_AUTO_TEST_CASE(genesis_blocks_and_network_constants)
{
    for (const Expected& e : EXPECTED) {
        BOOST_TEST_CONTEXT(e.name)
        {
            const auto p = CreateChainParams(e.chain);
            BOOST_CHECK(p->chain_type == e.chain);
            BOOST_CHECK_EQUAL(p->GetChainTypeString(), e.name);
            BOOST_CHECK_EQUAL(p->genesis.GetHash().GetHex(), e.genesis_hash);
            BOOST_CHECK_EQUAL(p->genesis.merkle_root.GetHex(), e.merkle_root);
            BOOST_CHECK(p->consensus.genesis_hash == H(e.genesis_hash));
            BOOST_CHECK(BlockMerkleRoot(p->genesis) == p->genesis.merkle_root);
            BOOST_CHECK(p->message_start == e.magic);
            BOOST_CHECK_EQUAL(p->default_port, e.port);
            BOOST_CHECK_EQUAL(p->genesis.bits, e.genesis_bits);
            BOOST_CHECK_EQUAL(p->genesis.time, e.genesis_time);
            BOOST_CHECK_EQUAL(p->genesis.nonce, e.genesis_nonce);
            BOOST_CHECK_EQUAL(p->genesis.version, 1);
            BOOST_CHECK(p->genesis.prev_block.IsNull());
            BOOST_REQUIRE_EQUAL(p->genesis.vtx.size(), 1u);
            const Transaction& cb = *p->genesis.vtx[0];
            BOOST_CHECK(cb.IsCoinBase());
            BOOST_CHECK_EQUAL(cb.vout.size(), 1u);
            BOOST_CHECK_EQUAL(cb.vout[0].value, 50 * COIN);
            // The genesis block meets its own target, and that target is the
            // network's easiest.
            BOOST_CHECK(CheckProofOfWork(p->genesis.GetHash(), p->genesis.bits, p->consensus));
            BOOST_CHECK_EQUAL(UintToArith256(p->consensus.pow_limit).GetCompact(), e.genesis_bits);
            BOOST_CHECK_EQUAL(p->is_test_chain, e.chain != ChainType::MAIN);
            BOOST_CHECK_EQUAL(p->is_mockable_chain, e.chain == ChainType::REGTEST);
            BOOST_CHECK_EQUAL(p->default_consistency_checks, e.chain == ChainType::REGTEST);
            BOOST_CHECK(!p->dns_seeds.empty());
            BOOST_CHECK_EQUAL(p->prune_after_height, e.chain == ChainType::MAIN ? 100000u : 1000u);
            BOOST_CHECK(GetNetworkForMagic(p->message_start) == e.chain);
        }
    }
    BOOST_CHECK(!GetNetworkForMagic({0xde, 0xad, 0xbe, 0xef}));
}

BOOST_AUTO_TEST_CASE(genesis_coinbase_bytes)
{
    const auto main = CreateChainParams(ChainType::MAIN);
    const Transaction& cb = *main->genesis.vtx[0];
    BOOST_CHECK_EQUAL(HexStr(cb.vin[0].script_sig.span()),
                      "04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e2062"
                      "72696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73");
    BOOST_CHECK_EQUAL(HexStr(cb.vout[0].script_pubkey.span()),
                      "4104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e5"
                      "1ec112de5c384df7ba0b8d578a4c702b6bf11d5fac");
    BOOST_CHECK_EQUAL(cb.GetTxid().GetHex(), "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");

    // The mainnet genesis block as stored on disk, byte for byte.
    const Bytes file = test::ReadBzip2VectorFile("blocks/mainnet-0-4.blk.bz2");
    const auto blocks = test::SplitBlkFile(file, test::MAINNET_MAGIC);
    BOOST_REQUIRE(!blocks.empty());
    BOOST_CHECK(blocks[0] == SerializeBlockBytes(main->genesis));

    const auto t4 = CreateChainParams(ChainType::TESTNET4);
    const Transaction& cb4 = *t4->genesis.vtx[0];
    BOOST_CHECK_EQUAL(HexStr(cb4.vout[0].script_pubkey.span()),
                      "21000000000000000000000000000000000000000000000000000000000000000000ac");
    // 5-byte and 2-byte pushes, then 76 bytes of text behind OP_PUSHDATA1 (76 is not below it).
    BOOST_CHECK_EQUAL(cb4.vin[0].script_sig.span().size(), 5 + 2 + 2 + 76u);
}

BOOST_AUTO_TEST_CASE(consensus_parameters)
{
    const auto main = CreateChainParams(ChainType::MAIN);
    const ConsensusParams& m = main->consensus;
    BOOST_CHECK_EQUAL(m.subsidy_halving_interval, 210000);
    BOOST_CHECK_EQUAL(m.bip34_height, 227931);
    BOOST_CHECK_EQUAL(m.bip34_hash.GetHex(), "000000000000024b89b42a942fe0d9fea3bb44ab7bd1b19115dd6a759c0808b8");
    BOOST_CHECK_EQUAL(m.DeploymentHeight(BuriedDeployment::HEIGHTINCB), 227931);
    BOOST_CHECK_EQUAL(m.DeploymentHeight(BuriedDeployment::CLTV), 388381);
    BOOST_CHECK_EQUAL(m.DeploymentHeight(BuriedDeployment::DERSIG), 363725);
    BOOST_CHECK_EQUAL(m.DeploymentHeight(BuriedDeployment::CSV), 419328);
    BOOST_CHECK_EQUAL(m.DeploymentHeight(BuriedDeployment::SEGWIT), 481824);
    BOOST_CHECK_EQUAL(m.min_bip9_warning_height, 483840);
    BOOST_CHECK_EQUAL(m.DifficultyAdjustmentInterval(), 2016);
    BOOST_CHECK_EQUAL(m.pow_target_spacing, 600);
    BOOST_CHECK_EQUAL(m.pow_target_timespan, 1209600);
    BOOST_CHECK(!m.pow_allow_min_difficulty_blocks && !m.pow_no_retargeting && !m.enforce_BIP94);
    BOOST_CHECK_EQUAL(m.rule_change_activation_threshold, 1815);
    BOOST_CHECK_EQUAL(m.miner_confirmation_window, 2016);
    const BIP9Deployment& taproot = m.deployments[DEPLOYMENT_TAPROOT];
    BOOST_CHECK_EQUAL(taproot.bit, 2);
    BOOST_CHECK_EQUAL(taproot.start_time, 1619222400);
    BOOST_CHECK_EQUAL(taproot.timeout, 1628640000);
    BOOST_CHECK_EQUAL(taproot.min_activation_height, 709632);
    BOOST_CHECK_EQUAL(taproot.period, 2016);
    BOOST_CHECK_EQUAL(taproot.threshold, 1815);
    BOOST_CHECK_EQUAL(m.deployments[DEPLOYMENT_TESTDUMMY].bit, 28);
    BOOST_CHECK_EQUAL(m.deployments[DEPLOYMENT_TESTDUMMY].start_time, BIP9Deployment::NEVER_ACTIVE);
    BOOST_CHECK(!m.signet_blocks && m.signet_challenge.empty());
    BOOST_CHECK(!m.minimum_chain_work.IsNull());
    BOOST_CHECK(!m.default_assume_valid.IsNull());
    BOOST_REQUIRE_EQUAL(m.script_flag_exceptions.size(), 2u);
    BOOST_CHECK(m.ScriptFlagException(H("00000000000002dc756eebf4f49723ed8d30cc28a5f108eb94b1ba88ac4f9c22")) ==
                SCRIPT_VERIFY_NONE);
    BOOST_CHECK(m.ScriptFlagException(H("0000000000000000000f14c35b2d841e986ab5441de8c585d5ffe55ea1e395ad")) ==
                (SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS));
    BOOST_CHECK(!m.ScriptFlagException(m.genesis_hash));

    const auto test3 = CreateChainParams(ChainType::TESTNET);
    BOOST_CHECK(test3->consensus.pow_allow_min_difficulty_blocks);
    BOOST_CHECK(!test3->consensus.enforce_BIP94);
    BOOST_CHECK_EQUAL(test3->consensus.bip34_height, 21111);
    BOOST_CHECK_EQUAL(test3->consensus.segwit_height, 834624);
    BOOST_CHECK_EQUAL(test3->consensus.rule_change_activation_threshold, 1512);
    BOOST_CHECK_EQUAL(test3->consensus.deployments[DEPLOYMENT_TAPROOT].min_activation_height, 0);
    BOOST_CHECK_EQUAL(test3->consensus.script_flag_exceptions.size(), 1u);

    const auto test4 = CreateChainParams(ChainType::TESTNET4);
    BOOST_CHECK(test4->consensus.enforce_BIP94);
    BOOST_CHECK(test4->consensus.pow_allow_min_difficulty_blocks);
    BOOST_CHECK_EQUAL(test4->consensus.segwit_height, 1);
    BOOST_CHECK(test4->consensus.bip34_hash.IsNull());
    BOOST_CHECK_EQUAL(test4->consensus.deployments[DEPLOYMENT_TAPROOT].start_time, BIP9Deployment::ALWAYS_ACTIVE);
    BOOST_CHECK(test4->consensus.script_flag_exceptions.empty());

    const auto signet = CreateChainParams(ChainType::SIGNET);
    BOOST_CHECK(signet->consensus.signet_blocks);
    BOOST_CHECK_EQUAL(HexStr(signet->consensus.signet_challenge),
                      "512103ad5e0edad18cb1f0fc0d28a3d4f1f3e445640337489abb10404f2d1e086be430210359ef5021964fe22d6f8e0"
                      "5b2463c9540ce96883fe3b278760f048f5189f2e6c452ae");
    BOOST_CHECK_EQUAL(UintToArith256(signet->consensus.pow_limit).GetCompact(), 0x1e0377aeu);
    BOOST_CHECK_EQUAL(signet->consensus.rule_change_activation_threshold, 1815);
    BOOST_CHECK(!signet->consensus.pow_allow_min_difficulty_blocks);

    const auto reg = CreateChainParams(ChainType::REGTEST);
    const ConsensusParams& r = reg->consensus;
    BOOST_CHECK_EQUAL(r.subsidy_halving_interval, 150);
    BOOST_CHECK(r.pow_no_retargeting && r.pow_allow_min_difficulty_blocks && !r.enforce_BIP94);
    BOOST_CHECK_EQUAL(r.DifficultyAdjustmentInterval(), 144);
    BOOST_CHECK_EQUAL(r.miner_confirmation_window, 144);
    BOOST_CHECK_EQUAL(r.rule_change_activation_threshold, 108);
    BOOST_CHECK_EQUAL(r.segwit_height, 0);
    BOOST_CHECK_EQUAL(r.bip34_height, 1);
    BOOST_CHECK_EQUAL(r.deployments[DEPLOYMENT_TESTDUMMY].start_time, 0);
    BOOST_CHECK_EQUAL(r.deployments[DEPLOYMENT_TESTDUMMY].timeout, BIP9Deployment::NO_TIMEOUT);
    BOOST_CHECK_EQUAL(r.deployments[DEPLOYMENT_TAPROOT].start_time, BIP9Deployment::ALWAYS_ACTIVE);
    BOOST_CHECK(r.minimum_chain_work.IsNull() && r.default_assume_valid.IsNull());
    BOOST_CHECK_EQUAL(reg->assumed_blockchain_size, 0u);

    // Every network's deployments use its own period and threshold.
    for (ChainType chain : ALL_CHAIN_TYPES) {
        const auto p = CreateChainParams(chain);
        for (const BIP9Deployment& d : p->consensus.deployments) {
            BOOST_CHECK_EQUAL(d.period, p->consensus.miner_confirmation_window);
            BOOST_CHECK_EQUAL(d.threshold, p->consensus.rule_change_activation_threshold);
        }
        BOOST_CHECK_EQUAL(p->consensus.miner_confirmation_window, p->consensus.DifficultyAdjustmentInterval());
    }
}

BOOST_AUTO_TEST_CASE(signet_options)
{
    // BIP 325: the magic is the first four bytes of Hash256(len || challenge).
    BOOST_CHECK(SignetMessageStart(ParseHex("51")) == (MessageStart{0x54, 0xd2, 0x6f, 0xbd}));

    ChainParamsOptions opts;
    opts.signet_challenge = ParseHex("51"); // OP_TRUE: anyone can sign
    const auto custom = CreateChainParams(ChainType::SIGNET, opts);
    BOOST_CHECK(custom->message_start == (MessageStart{0x54, 0xd2, 0x6f, 0xbd}));
    BOOST_CHECK(custom->consensus.signet_challenge == ParseHex("51"));
    BOOST_CHECK(custom->dns_seeds.empty());
    BOOST_CHECK(custom->consensus.minimum_chain_work.IsNull());
    BOOST_CHECK(custom->consensus.default_assume_valid.IsNull());
    BOOST_CHECK_EQUAL(custom->assumed_blockchain_size, 0u);
    // Every signet shares the genesis block.
    BOOST_CHECK(custom->consensus.genesis_hash == CreateChainParams(ChainType::SIGNET)->consensus.genesis_hash);
    BOOST_CHECK(!GetNetworkForMagic(custom->message_start));

    opts.signet_seeds = std::vector<std::string>{"seed.example."};
    const auto seeded = CreateChainParams(ChainType::SIGNET, opts);
    BOOST_REQUIRE_EQUAL(seeded->dns_seeds.size(), 1u);
    BOOST_CHECK_EQUAL(seeded->dns_seeds[0], "seed.example.");

    ChainParamsOptions no_seeds;
    no_seeds.signet_seeds = std::vector<std::string>{};
    BOOST_CHECK(CreateChainParams(ChainType::SIGNET, no_seeds)->dns_seeds.empty());

    // Signet options mean nothing elsewhere.
    const auto main = CreateChainParams(ChainType::MAIN, opts);
    BOOST_CHECK(main->message_start == (MessageStart{0xf9, 0xbe, 0xb4, 0xd9}));
    BOOST_CHECK(!main->consensus.signet_blocks);
}

BOOST_AUTO_TEST_CASE(regtest_options)
{
    ChainParamsOptions opts;
    opts.activation_heights[BuriedDeployment::SEGWIT] = 432;
    opts.activation_heights[BuriedDeployment::HEIGHTINCB] = 500;
    opts.activation_heights[BuriedDeployment::DERSIG] = 1251;
    opts.activation_heights[BuriedDeployment::CLTV] = 1351;
    opts.activation_heights[BuriedDeployment::CSV] = 432;
    opts.version_bits[DEPLOYMENT_TAPROOT] = VBitsParams{100, 200, 300};
    opts.fast_prune = true;
    opts.enforce_bip94 = true;
    const auto reg = CreateChainParams(ChainType::REGTEST, opts);
    const ConsensusParams& c = reg->consensus;
    BOOST_CHECK_EQUAL(c.DeploymentHeight(BuriedDeployment::SEGWIT), 432);
    BOOST_CHECK_EQUAL(c.DeploymentHeight(BuriedDeployment::HEIGHTINCB), 500);
    BOOST_CHECK_EQUAL(c.DeploymentHeight(BuriedDeployment::DERSIG), 1251);
    BOOST_CHECK_EQUAL(c.DeploymentHeight(BuriedDeployment::CLTV), 1351);
    BOOST_CHECK_EQUAL(c.DeploymentHeight(BuriedDeployment::CSV), 432);
    BOOST_CHECK_EQUAL(c.deployments[DEPLOYMENT_TAPROOT].start_time, 100);
    BOOST_CHECK_EQUAL(c.deployments[DEPLOYMENT_TAPROOT].timeout, 200);
    BOOST_CHECK_EQUAL(c.deployments[DEPLOYMENT_TAPROOT].min_activation_height, 300);
    BOOST_CHECK_EQUAL(c.deployments[DEPLOYMENT_TAPROOT].bit, 2);
    BOOST_CHECK_EQUAL(reg->prune_after_height, 100u);
    BOOST_CHECK(c.enforce_BIP94);

    // Regtest options mean nothing on the public networks.
    const auto main = CreateChainParams(ChainType::MAIN, opts);
    BOOST_CHECK_EQUAL(main->consensus.segwit_height, 481824);
    BOOST_CHECK_EQUAL(main->consensus.deployments[DEPLOYMENT_TAPROOT].start_time, 1619222400);
    BOOST_CHECK_EQUAL(main->prune_after_height, 100000u);
    BOOST_CHECK(!main->consensus.enforce_BIP94);
    const auto t4 = CreateChainParams(ChainType::TESTNET4, opts);
    BOOST_CHECK_EQUAL(t4->consensus.segwit_height, 1);
}

BOOST_AUTO_TEST_CASE(deployment_names)
{
    BOOST_CHECK_EQUAL(DeploymentName(BuriedDeployment::HEIGHTINCB), "bip34");
    BOOST_CHECK_EQUAL(DeploymentName(BuriedDeployment::CLTV), "bip65");
    BOOST_CHECK_EQUAL(DeploymentName(BuriedDeployment::DERSIG), "bip66");
    BOOST_CHECK_EQUAL(DeploymentName(BuriedDeployment::CSV), "csv");
    BOOST_CHECK_EQUAL(DeploymentName(BuriedDeployment::SEGWIT), "segwit");
    BOOST_CHECK_EQUAL(DeploymentName(DEPLOYMENT_TESTDUMMY), "testdummy");
    BOOST_CHECK_EQUAL(DeploymentName(DEPLOYMENT_TAPROOT), "taproot");
    BOOST_CHECK(DeploymentGbtForce(DEPLOYMENT_TAPROOT));
    BOOST_CHECK(BuriedDeploymentFromTestName("segwit") == BuriedDeployment::SEGWIT);
    BOOST_CHECK(BuriedDeploymentFromTestName("bip34") == BuriedDeployment::HEIGHTINCB);
    BOOST_CHECK(BuriedDeploymentFromTestName("dersig") == BuriedDeployment::DERSIG);
    BOOST_CHECK(BuriedDeploymentFromTestName("cltv") == BuriedDeployment::CLTV);
    BOOST_CHECK(BuriedDeploymentFromTestName("csv") == BuriedDeployment::CSV);
    BOOST_CHECK(!BuriedDeploymentFromTestName("bip66"));
    BOOST_CHECK(DeploymentPosFromName("taproot") == DEPLOYMENT_TAPROOT);
    BOOST_CHECK(DeploymentPosFromName("testdummy") == DEPLOYMENT_TESTDUMMY);
    BOOST_CHECK(!DeploymentPosFromName("segwit"));
}

BOOST_AUTO_TEST_SUITE_END()
