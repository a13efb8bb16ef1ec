# The capture agent image: Node 24 with tcpdump; the agent bundle is built by `npm run build:agent`.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN node scripts/build-agent.mjs

FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends tcpdump && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/agent/wiretrace-agent.cjs /usr/local/bin/wiretrace-agent
# The V8 flags of agent/runtimeFlags.json.
ENTRYPOINT ["node", "--max-semi-space-size=8", "/usr/local/bin/wiretrace-agent"]
