#include "consensus/params.h"

namespace cairn {

std::string_view DeploymentName(BuriedDeployment dep)
{
    switch (dep) {
    case BuriedDeployment::HEIGHTINCB: return "bip34";
    case BuriedDeployment::CLTV: return "bip65";
    case BuriedDeployment::DERSIG: return "bip66";
    case BuriedDeployment::CSV: return "csv";
    case BuriedDeployment::SEGWIT: return "segwit";
    }
    return "";
}

std::string_view DeploymentName(DeploymentPos pos)
{
    switch (pos) {
    case DEPLOYMENT_TESTDUMMY: return "testdummy";
    case DEPLOYMENT_TAPROOT: return "taproot";
    case MAX_VERSION_BITS_DEPLOYMENTS: break;
    }
    return "";
}

bool DeploymentGbtForce(DeploymentPos pos)
{
    switch (pos) {
    case DEPLOYMENT_TESTDUMMY:
    case DEPLOYMENT_TAPROOT: return true;
    case MAX_VERSION_BITS_DEPLOYMENTS: break;
    }
    return false;
}

std::optional<BuriedDeployment> BuriedDeploymentFromTestName(std::string_view name)
{
    if (name == "segwit") return BuriedDeployment::SEGWIT;
    if (name == "bip34") return BuriedDeployment::HEIGHTINCB;
    if (name == "dersig") return BuriedDeployment::DERSIG;
    if (name == "cltv") return BuriedDeployment::CLTV;
    if (name == "csv") return BuriedDeployment::CSV;
    return std::nullopt;
}

std::optional<DeploymentPos> DeploymentPosFromName(std::string_view name)
{
    for (int i = 0; i < MAX_VERSION_BITS_DEPLOYMENTS; ++i) {
        if (DeploymentName(DeploymentPos(i)) == name) return DeploymentPos(i);
    }
    return std::nullopt;
}

} // namespace cairn
