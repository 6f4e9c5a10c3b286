# syntax=docker/dockerfile:1.7
# The web console: the Vite build of apps/web served by its host (apps/web-host) on :3000. Built by CI
# where a Docker engine exists, from the repository root:
#   docker build -f infra/docker/web.Dockerfile -t huoju/web:<git sha> .
# In the cluster the Ingress routes the API paths; the host's own routing is then unused.

FROM node:24.21.0-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm install --no-audit --no-fund && node tools/build.mjs && npx nx run web:build

FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /src
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/apps ./apps
COPY --from=build /src/libs ./libs
COPY --from=build /src/e2e/package.json ./e2e/package.json
COPY --from=build /src/bench/package.json ./bench/package.json
RUN npm install --no-audit --no-fund --omit=dev --ignore-scripts

FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production WEB_HOST=0.0.0.0 WEB_PORT=3000
WORKDIR /app
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/web ./dist/apps/web
COPY --from=build /src/dist/apps/web-host ./dist/apps/web-host
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/apps/web-host/src/main.js"]
