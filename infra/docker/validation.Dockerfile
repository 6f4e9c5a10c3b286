# syntax=docker/dockerfile:1.7
# The validation service. Built by CI where a Docker engine exists, from the repository root:
#   docker build -f infra/docker/validation.Dockerfile -t huoju/validation:<git sha> .
# Stage 1 compiles the workspace with SWC; stage 2 keeps production dependencies only; the runtime stage is
# Node 24 slim, runs as an unprivileged user and writes nowhere but /tmp
# (the pod's root filesystem is read-only).

FROM node:24.21.0-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm install --no-audit --no-fund && node tools/build.mjs

FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /src
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/apps ./apps
COPY --from=build /src/libs ./libs
COPY --from=build /src/e2e/package.json ./e2e/package.json
COPY --from=build /src/bench/package.json ./bench/package.json
RUN npm install --no-audit --no-fund --omit=dev --ignore-scripts

FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production npm_config_cache=/tmp/.npm npm_config_update_notifier=false HOST=0.0.0.0 PORT=3002
WORKDIR /app
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/validation ./dist/apps/validation
COPY --from=build /src/dist/libs ./dist/libs
# The operational scripts (npm run dlq, rebuild:aggregates) run in a pod: kubectl exec deploy/<name> -- npm run …
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/tools ./tools
USER 10001:10001
EXPOSE 3002
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3002/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/apps/validation/src/main.js"]
