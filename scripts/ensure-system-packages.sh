#!/usr/bin/env bash
# Installs the Debian packages the test tiers use (capture, namespaces, policy rules, DNS, browser) when missing.
set -u
needed=()
command -v tcpdump >/dev/null || needed+=(tcpdump)
command -v tshark >/dev/null || needed+=(tshark)
command -v iptables >/dev/null || needed+=(iptables)
command -v ip >/dev/null || needed+=(iproute2)
command -v dnsmasq >/dev/null || needed+=(dnsmasq-base)
command -v chromium >/dev/null || needed+=(chromium)
command -v curl >/dev/null || needed+=(curl)
# The kube-apiserver test peer's storage (Apache-2.0); its service is never started, the tests run their own.
command -v etcd >/dev/null || needed+=(etcd-server)
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing system packages (${needed[*]}); tiers that need them will be skipped" >&2
  exit 0
fi
echo "installing system packages: ${needed[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections 2>/dev/null || true
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null || echo "apt-get install failed; dependent tiers will be skipped" >&2
exit 0
