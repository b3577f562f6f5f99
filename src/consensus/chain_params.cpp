#include "consensus/chain_params.h"

#include "consensus/merkle.h"
#include "consensus/script/script_flags.h"
#include "crypto/hash.h"
#include "util/hex.h"
#include "util/serialize.h"

#include <stdexcept>

namespace cairn {

namespace {

/** A hash constant written the usual (reversed) way. */
uint256 Hash(std::string_view hex)
{
    auto v = uint256::FromHex(hex);
    if (!v) throw std::logic_error("bad hash constant");
    return *v;
}

/** Same check Core makes at start-up: the built genesis must be the known one. */
void CheckGenesis(const ChainParams& p, std::string_view hash, std::string_view merkle_root)
{
    if (p.genesis.GetHash() != Hash(hash) || p.genesis.merkle_root != Hash(merkle_root)) {
        throw std::logic_error("genesis block of " + std::string(p.GetChainTypeString()) + " does not match");
    }
}

constexpr std::string_view SATOSHI_TIMESTAMP = "The Times 03/Jan/2009 Chancellor on brink of second bailout for banks";
constexpr std::string_view SATOSHI_PUBKEY =
    "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb6"
    "49f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f";

Block SatoshiGenesis(uint32_t time, uint32_t nonce, uint32_t bits)
{
    Script out;
    out << ParseHex(SATOSHI_PUBKEY) << OP_CHECKSIG;
    return CreateGenesisBlock(SATOSHI_TIMESTAMP, out, time, nonce, bits, 1, 50 * COIN);
}

constexpr std::string_view POW_LIMIT_1D00FFFF =
    "00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

/** Sets both deployments' period and threshold to the network's. */
void SetDeploymentPeriods(ConsensusParams& c)
{
    for (BIP9Deployment& d : c.deployments) {
        d.period = c.miner_confirmation_window;
        d.threshold = c.rule_change_activation_threshold;
    }
}

void SetDeployment(ConsensusParams& c, DeploymentPos pos, int bit, int64_t start, int64_t timeout, int min_height)
{
    BIP9Deployment& d = c.deployments[pos];
    d.bit = bit;
    d.start_time = start;
    d.timeout = timeout;
    d.min_activation_height = min_height;
}

std::unique_ptr<ChainParams> MainParams()
{
    auto p = std::make_unique<ChainParams>();
    p->chain_type = ChainType::MAIN;
    ConsensusParams& c = p->consensus;
    c.subsidy_halving_interval = 210000;
    c.script_flag_exceptions.emplace( // BIP 16 exception
        Hash("00000000000002dc756eebf4f49723ed8d30cc28a5f108eb94b1ba88ac4f9c22"), SCRIPT_VERIFY_NONE);
    c.script_flag_exceptions.emplace( // taproot exception
        Hash("0000000000000000000f14c35b2d841e986ab5441de8c585d5ffe55ea1e395ad"),
        SCRIPT_VERIFY_P2SH | SCRIPT_VERIFY_WITNESS);
    c.bip34_height = 227931;
    c.bip34_hash = Hash("000000000000024b89b42a942fe0d9fea3bb44ab7bd1b19115dd6a759c0808b8");
    c.bip65_height = 388381; // 000000000000000004c2b624ed5d7756c508d90fd0da2c7c679febfa6c4735f0
    c.bip66_height = 363725; // 00000000000000000379eaa19dce8c9b722d46ae6a57c2f1a988119488b50931
    c.csv_height = 419328;   // 000000000000000004a1b34462cb8aeebd5799177f7a29cf28f2d1961716b5b5
    c.segwit_height = 481824; // 0000000000000000001c8018d9cb3b742ef25114f27563e3fc4a1902167f9893
    c.min_bip9_warning_height = 483840; // segwit height + one confirmation window
    c.pow_limit = Hash(POW_LIMIT_1D00FFFF);
    c.pow_target_timespan = 14 * 24 * 60 * 60;
    c.pow_target_spacing = 10 * 60;
    c.pow_allow_min_difficulty_blocks = false;
    c.enforce_BIP94 = false;
    c.pow_no_retargeting = false;
    c.rule_change_activation_threshold = 1815; // 90% of 2016
    c.miner_confirmation_window = 2016;
    SetDeploymentPeriods(c);
    SetDeployment(c, DEPLOYMENT_TESTDUMMY, 28, BIP9Deployment::NEVER_ACTIVE, BIP9Deployment::NO_TIMEOUT, 0);
    // Taproot: signalling from April 24th to August 11th, 2021; active from 709632.
    SetDeployment(c, DEPLOYMENT_TAPROOT, 2, 1619222400, 1628640000, 709632);
    c.minimum_chain_work = Hash("0000000000000000000000000000000000000000dee8e2a309ad8a9820433c68");
    c.default_assume_valid = Hash("00000000000000000000611fd22f2df7c8fbd0688745c3a6c3bb5109cc2a12cb"); // 912683

    p->message_start = {0xf9, 0xbe, 0xb4, 0xd9};
    p->default_port = 8333;
    p->prune_after_height = 100000;
    p->assumed_blockchain_size = 810;
    p->assumed_chain_state_size = 14;
    p->genesis = SatoshiGenesis(1231006505, 2083236893, 0x1d00ffff);
    c.genesis_hash = p->genesis.GetHash();
    CheckGenesis(*p, "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
                 "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
    p->dns_seeds = {
        "seed.bitcoin.sipa.be.",
        "dnsseed.bluematt.me.",
        "seed.bitcoin.jonasschnelli.ch.",
        "seed.btc.petertodd.net.",
        "seed.bitcoin.sprovoost.nl.",
        "dnsseed.emzy.de.",
        "seed.bitcoin.wiz.biz.",
        "seed.mainnet.achownodes.xyz.",
    };
    p->is_test_chain = false;
    p->is_mockable_chain = false;
    p->default_consistency_checks = false;
    return p;
}

std::unique_ptr<ChainParams> TestNet3Params()
{
    auto p = std::make_unique<ChainParams>();
    p->chain_type = ChainType::TESTNET;
    ConsensusParams& c = p->consensus;
    c.subsidy_halving_interval = 210000;
    c.script_flag_exceptions.emplace( // BIP 16 exception
        Hash("00000000dd30457c001f4095d208cc1296b0eed002427aa599874af7a432b105"), SCRIPT_VERIFY_NONE);
    c.bip34_height = 21111;
    c.bip34_hash = Hash("0000000023b3a96d3484e5abb3755c413e7d41500f8e2a5c3f0dd01299cd8ef8");
    c.bip65_height = 581885; // 00000000007f6655f22f98e72ed80d8b06dc761d5da09df0fa1dc4be4f861eb6
    c.bip66_height = 330776; // 000000002104c8c45e99a8853285a3b592602a3ccde2b832481da85e9e4ba182
    c.csv_height = 770112;   // 00000000025e930139bac5c6c31a403776da130831ab85be56578f3fa75369bb
    c.segwit_height = 834624; // 00000000002b980fcd729daaa248fd9316a5200e9b367f4ff2c42453e84201ca
    c.min_bip9_warning_height = 836640;
    c.pow_limit = Hash(POW_LIMIT_1D00FFFF);
    c.pow_target_timespan = 14 * 24 * 60 * 60;
    c.pow_target_spacing = 10 * 60;
    c.pow_allow_min_difficulty_blocks = true;
    c.enforce_BIP94 = false;
    c.pow_no_retargeting = false;
    c.rule_change_activation_threshold = 1512; // 75%
    c.miner_confirmation_window = 2016;
    SetDeploymentPeriods(c);
    SetDeployment(c, DEPLOYMENT_TESTDUMMY, 28, BIP9Deployment::NEVER_ACTIVE, BIP9Deployment::NO_TIMEOUT, 0);
    SetDeployment(c, DEPLOYMENT_TAPROOT, 2, 1619222400, 1628640000, 0);
    c.minimum_chain_work = Hash("0000000000000000000000000000000000000000000016dd270dd94fac1d7632");
    c.default_assume_valid = Hash("0000000000000065c6c38258e201971a3fdfcc2ceee0dd6e85a6c022d45dee34"); // 4550000

    p->message_start = {0x0b, 0x11, 0x09, 0x07};
    p->default_port = 18333;
    p->prune_after_height = 1000;
    p->assumed_blockchain_size = 240;
    p->assumed_chain_state_size = 19;
    p->genesis = SatoshiGenesis(1296688602, 414098458, 0x1d00ffff);
    c.genesis_hash = p->genesis.GetHash();
    CheckGenesis(*p, "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943",
                 "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
    p->dns_seeds = {
        "testnet-seed.bitcoin.jonasschnelli.ch.",
        "seed.tbtc.petertodd.net.",
        "seed.testnet.bitcoin.sprovoost.nl.",
        "testnet-seed.bluematt.me.",
        "seed.testnet.achownodes.xyz.",
    };
    p->is_test_chain = true;
    p->is_mockable_chain = false;
    p->default_consistency_checks = false;
    return p;
}

std::unique_ptr<ChainParams> TestNet4Params()
{
    auto p = std::make_unique<ChainParams>();
    p->chain_type = ChainType::TESTNET4;
    ConsensusParams& c = p->consensus;
    c.subsidy_halving_interval = 210000;
    c.bip34_height = 1;
    c.bip34_hash = uint256{};
    c.bip65_height = 1;
    c.bip66_height = 1;
    c.csv_height = 1;
    c.segwit_height = 1;
    c.min_bip9_warning_height = 0;
    c.pow_limit = Hash(POW_LIMIT_1D00FFFF);
    c.pow_target_timespan = 14 * 24 * 60 * 60;
    c.pow_target_spacing = 10 * 60;
    c.pow_allow_min_difficulty_blocks = true;
    c.enforce_BIP94 = true;
    c.pow_no_retargeting = false;
    c.rule_change_activation_threshold = 1512; // 75%
    c.miner_confirmation_window = 2016;
    SetDeploymentPeriods(c);
    SetDeployment(c, DEPLOYMENT_TESTDUMMY, 28, BIP9Deployment::NEVER_ACTIVE, BIP9Deployment::NO_TIMEOUT, 0);
    SetDeployment(c, DEPLOYMENT_TAPROOT, 2, BIP9Deployment::ALWAYS_ACTIVE, BIP9Deployment::NO_TIMEOUT, 0);
    c.minimum_chain_work = Hash("00000000000000000000000000000000000000000000034a4690fe592dc49c7c");
    c.default_assume_valid = Hash("000000000000000180a58e7fa3b0db84b5ea76377524894f53660d93ac839d9b"); // 91000

    p->message_start = {0x1c, 0x16, 0x3f, 0x28};
    p->default_port = 48333;
    p->prune_after_height = 1000;
    p->assumed_blockchain_size = 22;
    p->assumed_chain_state_size = 2;
    Script out;
    out << Bytes(33, 0) << OP_CHECKSIG;
    p->genesis = CreateGenesisBlock("03/May/2024 000000000000000000001ebd58c244970b3aa9d783bb001011fbe8ea8e98e00e", out,
                                    1714777860, 393743547, 0x1d00ffff, 1, 50 * COIN);
    c.genesis_hash = p->genesis.GetHash();
    CheckGenesis(*p, "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043",
                 "7aa0a7ae1e223414cb807e40cd57e667b718e42aaf9306db9102fe28912b7b4e");
    p->dns_seeds = {
        "seed.testnet4.bitcoin.sprovoost.nl.",
        "seed.testnet4.wiz.biz.",
    };
    p->is_test_chain = true;
    p->is_mockable_chain = false;
    p->default_consistency_checks = false;
    return p;
}

constexpr std::string_view DEFAULT_SIGNET_CHALLENGE =
    "512103ad5e0edad18cb1f0fc0d28a3d4f1f3e445640337489abb10404f2d1e086be430"
    "210359ef5021964fe22d6f8e05b2463c9540ce96883fe3b278760f048f5189f2e6c452ae";

std::unique_ptr<ChainParams> SignetParams(const ChainParamsOptions& options)
{
    auto p = std::make_unique<ChainParams>();
    p->chain_type = ChainType::SIGNET;
    ConsensusParams& c = p->consensus;
    if (!options.signet_challenge) {
        c.signet_challenge = ParseHex(DEFAULT_SIGNET_CHALLENGE);
        p->dns_seeds = {
            "seed.signet.bitcoin.sprovoost.nl.",
            "seed.signet.achownodes.xyz.",
        };
        c.minimum_chain_work = Hash("0000000000000000000000000000000000000000000000000000067d328e681a");
        c.default_assume_valid = Hash("000000128586e26813922680309f04e1de713c7542fee86ed908f56368aefe2e"); // 267665
        p->assumed_blockchain_size = 20;
        p->assumed_chain_state_size = 4;
    } else {
        // A private signet: nothing is known about its chain.
        c.signet_challenge = *options.signet_challenge;
        c.minimum_chain_work = uint256{};
        c.default_assume_valid = uint256{};
        p->assumed_blockchain_size = 0;
        p->assumed_chain_state_size = 0;
    }
    if (options.signet_seeds) p->dns_seeds = *options.signet_seeds;

    c.signet_blocks = true;
    c.subsidy_halving_interval = 210000;
    c.bip34_height = 1;
    c.bip34_hash = uint256{};
    c.bip65_height = 1;
    c.bip66_height = 1;
    c.csv_height = 1;
    c.segwit_height = 1;
    c.min_bip9_warning_height = 0;
    c.pow_limit = Hash("00000377ae000000000000000000000000000000000000000000000000000000");
    c.pow_target_timespan = 14 * 24 * 60 * 60;
    c.pow_target_spacing = 10 * 60;
    c.pow_allow_min_difficulty_blocks = false;
    c.enforce_BIP94 = false;
    c.pow_no_retargeting = false;
    c.rule_change_activation_threshold = 1815; // 90%
    c.miner_confirmation_window = 2016;
    SetDeploymentPeriods(c);
    SetDeployment(c, DEPLOYMENT_TESTDUMMY, 28, BIP9Deployment::NEVER_ACTIVE, BIP9Deployment::NO_TIMEOUT, 0);
    SetDeployment(c, DEPLOYMENT_TAPROOT, 2, BIP9Deployment::ALWAYS_ACTIVE, BIP9Deployment::NO_TIMEOUT, 0);

    p->message_start = SignetMessageStart(c.signet_challenge);
    p->default_port = 38333;
    p->prune_after_height = 1000;
    // Every signet shares this genesis; the challenge only binds later blocks.
    p->genesis = SatoshiGenesis(1598918400, 52613770, 0x1e0377ae);
    c.genesis_hash = p->genesis.GetHash();
    CheckGenesis(*p, "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6",
                 "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
    p->is_test_chain = true;
    p->is_mockable_chain = false;
    p->default_consistency_checks = false;
    return p;
}

std::unique_ptr<ChainParams> RegTestParams(const ChainParamsOptions& options)
{
    auto p = std::make_unique<ChainParams>();
    p->chain_type = ChainType::REGTEST;
    ConsensusParams& c = p->consensus;
    c.subsidy_halving_interval = 150;
    c.bip34_height = 1;
    c.bip34_hash = uint256{};
    c.bip65_height = 1;
    c.bip66_height = 1;
    c.csv_height = 1;
    c.segwit_height = 0;
    c.min_bip9_warning_height = 0;
    c.pow_limit = Hash("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    c.pow_target_timespan = 24 * 60 * 60; // one day: a 144-block interval
    c.pow_target_spacing = 10 * 60;
    c.pow_allow_min_difficulty_blocks = true;
    c.enforce_BIP94 = options.enforce_bip94;
    c.pow_no_retargeting = true;
    c.rule_change_activation_threshold = 108; // 75% of 144
    c.miner_confirmation_window = 144;
    SetDeploymentPeriods(c);
    SetDeployment(c, DEPLOYMENT_TESTDUMMY, 28, 0, BIP9Deployment::NO_TIMEOUT, 0);
    SetDeployment(c, DEPLOYMENT_TAPROOT, 2, BIP9Deployment::ALWAYS_ACTIVE, BIP9Deployment::NO_TIMEOUT, 0);
    c.minimum_chain_work = uint256{};
    c.default_assume_valid = uint256{};

    for (const auto& [dep, height] : options.activation_heights) {
        switch (dep) {
        case BuriedDeployment::HEIGHTINCB: c.bip34_height = height; break;
        case BuriedDeployment::CLTV: c.bip65_height = height; break;
        case BuriedDeployment::DERSIG: c.bip66_height = height; break;
        case BuriedDeployment::CSV: c.csv_height = height; break;
        case BuriedDeployment::SEGWIT: c.segwit_height = height; break;
        }
    }
    for (const auto& [pos, vb] : options.version_bits) {
        if (pos >= MAX_VERSION_BITS_DEPLOYMENTS) throw std::invalid_argument("unknown version bits deployment");
        c.deployments[pos].start_time = vb.start_time;
        c.deployments[pos].timeout = vb.timeout;
        c.deployments[pos].min_activation_height = vb.min_activation_height;
    }

    p->message_start = {0xfa, 0xbf, 0xb5, 0xda};
    p->default_port = 18444;
    p->prune_after_height = options.fast_prune ? 100 : 1000;
    p->assumed_blockchain_size = 0;
    p->assumed_chain_state_size = 0;
    p->genesis = SatoshiGenesis(1296688602, 2, 0x207fffff);
    c.genesis_hash = p->genesis.GetHash();
    CheckGenesis(*p, "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
                 "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
    p->dns_seeds = {"dummySeed.invalid."};
    p->is_test_chain = true;
    p->is_mockable_chain = true;
    p->default_consistency_checks = true;
    return p;
}

} // namespace

Block CreateGenesisBlock(std::string_view timestamp, const Script& output_script, uint32_t time, uint32_t nonce,
                         uint32_t bits, int32_t version, Amount reward)
{
    MutableTransaction tx;
    tx.version = 1;
    tx.vin.resize(1);
    // 486604799 is 0x1d00ffff, the first nBits; the 4 is pushed as data, not OP_4.
    tx.vin[0].script_sig.PushData(ScriptNumEncode(486604799));
    tx.vin[0].script_sig.PushData(ScriptNumEncode(4));
    tx.vin[0].script_sig.PushData(AsBytes(timestamp));
    tx.vout.emplace_back(reward, output_script);
    tx.locktime = 0;

    Block genesis;
    genesis.version = version;
    genesis.time = time;
    genesis.bits = bits;
    genesis.nonce = nonce;
    genesis.prev_block = uint256{};
    genesis.vtx.push_back(MakeTransactionRef(std::move(tx)));
    genesis.merkle_root = BlockMerkleRoot(genesis);
    return genesis;
}

MessageStart SignetMessageStart(ByteSpan challenge)
{
    Bytes ser;
    VectorWriter w(ser);
    WriteVarBytes(w, challenge);
    const uint256 h = Hash256(ser);
    return {h.data()[0], h.data()[1], h.data()[2], h.data()[3]};
}

std::unique_ptr<const ChainParams> CreateChainParams(ChainType chain, const ChainParamsOptions& options)
{
    switch (chain) {
    case ChainType::MAIN: return MainParams();
    case ChainType::TESTNET: return TestNet3Params();
    case ChainType::TESTNET4: return TestNet4Params();
    case ChainType::SIGNET: return SignetParams(options);
    case ChainType::REGTEST: return RegTestParams(options);
    }
    throw std::invalid_argument("unknown chain type");
}

std::optional<ChainType> GetNetworkForMagic(const MessageStart& magic)
{
    // Built once (thread-safe static initialisation): five genesis blocks are
    // not worth hashing per incoming message.
    static const std::array<std::pair<ChainType, MessageStart>, ALL_CHAIN_TYPES.size()> magics = [] {
        std::array<std::pair<ChainType, MessageStart>, ALL_CHAIN_TYPES.size()> out;
        for (size_t i = 0; i < ALL_CHAIN_TYPES.size(); ++i) {
            out[i] = {ALL_CHAIN_TYPES[i], CreateChainParams(ALL_CHAIN_TYPES[i])->message_start};
        }
        return out;
    }();
    for (const auto& [chain, start] : magics) {
        if (start == magic) return chain;
    }
    return std::nullopt;
}

} // namespace cairn
