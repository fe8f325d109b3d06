# syntax=docker/dockerfile:1
#
# kdl as a container image: a static (musl) binary on an empty base image,
# run as an unprivileged user, with the catalog mounted at /catalog.
#
#   docker build -t kdl .                      # or: podman build -t kdl .
#   docker run --rm -v "$PWD/catalog:/catalog:ro" kdl lint
#   docker run --rm -v "$PWD/catalog:/catalog:ro" kdl lint --format sarif > kdl.sarif
#
# The default image holds nothing but kdl (no shell, no git): everything
# except `kdl lint --changed-since` and `kdl report --compare-git`, which run
# `git`. For those, build the `git` target, which adds git on Alpine:
#
#   docker build --target git -t kdl:git .
#   docker run --rm -v "$PWD:/repo" -w /repo kdl:git lint catalog --changed-since origin/main

ARG RUST_VERSION=1
ARG ALPINE_VERSION=3

# ---- build: a static binary with the release `dist` profile --------------
FROM rust:${RUST_VERSION}-alpine AS build
# musl-dev: the C runtime for mimalloc (C) and the static link. Alpine
# keeps only the current version of a package, so it is not pinned.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
# Download the dependencies first (a layer that only Cargo.lock changes).
COPY Cargo.toml Cargo.lock ./
COPY benches ./benches
RUN mkdir src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && cargo fetch --locked \
    && rm -r src
COPY src ./src
COPY rules ./rules
COPY schemas ./schemas
RUN cargo build --locked --profile dist \
    && cp target/dist/kdl /kdl \
    && /kdl --version
# An empty, world-writable /tmp (with the sticky bit) for the final image:
# `--changed-since` and `report --compare-git` export a tree there.
RUN mkdir -p /rootfs/tmp /rootfs/catalog && chmod 1777 /rootfs/tmp

# ---- git: kdl with git, for --changed-since and --compare-git ------------
FROM alpine:${ALPINE_VERSION} AS git
# hadolint ignore=DL3018
RUN apk add --no-cache git \
    && git config --system --add safe.directory '*'
COPY --from=build /kdl /usr/local/bin/kdl
USER 65532:65532
WORKDIR /catalog
ENTRYPOINT ["kdl"]
CMD ["--help"]

# ---- default: kdl alone ----------------------------------------------------
FROM scratch AS kdl
COPY --from=build /rootfs/ /
COPY --from=build /kdl /usr/local/bin/kdl
# No /etc/passwd is needed for a numeric user; 65532 is "nonroot" by
# convention (as in distroless images).
USER 65532:65532
ENV HOME=/tmp
WORKDIR /catalog
ENTRYPOINT ["/usr/local/bin/kdl"]
CMD ["--help"]
