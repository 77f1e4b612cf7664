# syntax=docker/dockerfile:1
# The api image. Build from the repository root:
#   docker build -f infra/docker/api.Dockerfile -t telemed-api .
# Stages: `build` installs the whole workspace and compiles it; `deps` installs only what the api needs at run
# time; the final image is those production dependencies plus the compiled output, run as the `node` user.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV CI=true \
    TURBO_TELEMETRY_DISABLED=1
# The pnpm version of package.json's packageManager field.
RUN npm install --global pnpm@10.34.8 && npm cache clean --force
WORKDIR /app
# The manifests alone first, so the dependency layers are rebuilt only when dependencies change. Every workspace
# package in the lockfile needs its package.json here, or the frozen install fails.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/db/package.json packages/db/
COPY services/api/package.json services/api/

FROM base AS build
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm turbo run build

FROM base AS deps
RUN pnpm install --frozen-lockfile --prod --filter "@telemed/api..."

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    SEED_DEMO=if-empty
WORKDIR /app
COPY --from=deps /app ./
COPY --from=build /app/packages/contracts/dist packages/contracts/dist
COPY --from=build /app/packages/db/dist packages/db/dist
COPY --from=build /app/packages/db/migrations packages/db/migrations
COPY --from=build /app/services/api/dist services/api/dist
USER node
EXPOSE 8080
# Ready means Postgres and Redis answer; node:20 has fetch, the slim image has no curl.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "services/api/dist/server.js"]
