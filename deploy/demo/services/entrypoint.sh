#!/bin/sh
# DROP_PORTS makes this container silently drop SYNs to those ports: the "NetworkPolicy" of the demo.
set -eu
for port in ${DROP_PORTS:-}; do
  iptables -A INPUT -p tcp --dport "$port" -j DROP
  echo "{\"level\":\"info\",\"msg\":\"dropping tcp port $port\"}"
done
exec node /app/service.mjs
