# syntax=docker/dockerfile:1
# The image of one Node service (api, router, gateway or video). Build from the repository root:
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=api -t telemed-api .
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=router -t telemed-router .
# Stages: `build` installs the whole workspace and compiles it; `deps` installs only what the service needs at run
# time; the final image is those production dependencies plus the compiled output, run as the `node` user.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV CI=true \
    TURBO_TELEMETRY_DISABLED=1
# The pnpm version of package.json's packageManager field.
RUN npm install --global pnpm@10.34.8 && npm cache clean --force
# mediasoup (the video service) builds its C++ media worker during install: it needs python3, make and g++
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The manifests alone first, so the dependency layers are rebuilt only when dependencies change. Every workspace
# package in the lockfile needs its package.json here, or the frozen install fails.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches/ patches/
COPY packages/contracts/package.json packages/contracts/
COPY packages/db/package.json packages/db/
COPY packages/dicom/package.json packages/dicom/
COPY packages/domain/package.json packages/domain/
COPY packages/runtime/package.json packages/runtime/
COPY services/api/package.json services/api/
COPY services/gateway/package.json services/gateway/
COPY services/router/package.json services/router/
COPY services/video/package.json services/video/
COPY web/package.json web/

FROM base AS build
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm turbo run build

FROM base AS deps
ARG SERVICE=api
RUN pnpm install --frozen-lockfile --prod --filter "@telemed/${SERVICE}..."

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=api
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app
COPY --from=deps /app ./
COPY --from=build /app/packages/contracts/dist packages/contracts/dist
COPY --from=build /app/packages/db/dist packages/db/dist
COPY --from=build /app/packages/db/migrations packages/db/migrations
COPY --from=build /app/packages/dicom/dist packages/dicom/dist
COPY --from=build /app/packages/domain/dist packages/domain/dist
COPY --from=build /app/packages/runtime/dist packages/runtime/dist
COPY --from=build /app/services/${SERVICE}/dist services/${SERVICE}/dist
# the browser app, which the api serves at / (the other services leave it unused)
COPY --from=build /app/web/dist web/dist
USER node
CMD ["sh", "-c", "exec node services/${SERVICE}/dist/server.js"]
