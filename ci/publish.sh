#!/bin/sh
# 原子发布:把构建好的静态网站上传为一个新版本目录,再一次性切换链接。
#
#   sh ci/publish.sh output/ current      # 正式网站:$PUBLISH_ROOT/current -> releases/<提交号>
#   sh ci/publish.sh preview/ pr-12       # 预览(可选):$PUBLISH_ROOT/pr-12 -> releases/<提交号>-pr-12
#
# Web 服务器的站点根目录指向 $PUBLISH_ROOT/current。上传中途失败时 current 不变,旧网站照常访问;
# 切换用 mv -T 替换符号链接,对访问者是原子的。旧版本目录保留,可随时切回。
#
# 发布到另一台服务器(CI 变量,受保护、隐藏):PUBLISH_HOST(user@host)、PUBLISH_ROOT(服务器上的目录)、
# PUBLISH_SSH_KEY(私钥内容)、PUBLISH_KNOWN_HOSTS(服务器公钥,ssh-keyscan 的输出)。
# 运行器就在网站服务器上(shell 执行器)时:PUBLISH_HOST 设为 local,只需要 PUBLISH_ROOT。
# PUBLISH_RELOAD(可选):切换后在服务器上运行的命令,如 "sudo systemctl reload nginx",
# 让构建写出的 301 跳转规则(_server/nginx-redirects.conf)生效。
set -eu

SRC="${1:?用法:ci/publish.sh 目录 链接名}"
LINK="${2:?用法:ci/publish.sh 目录 链接名}"
: "${PUBLISH_HOST:?未设置 PUBLISH_HOST(远程服务器 user@host,或 local)}" "${PUBLISH_ROOT:?未设置 PUBLISH_ROOT}"

case "$LINK" in
  *[!A-Za-z0-9._-]*|"") echo "链接名只能由字母、数字、点、下划线和连字符组成:$LINK" >&2; exit 2 ;;
esac
[ -f "$SRC/index.html" ] || { echo "$SRC 中没有 index.html:构建未完成,拒绝发布。" >&2; exit 1; }

COMMIT="${CI_COMMIT_SHA:-${GITHUB_SHA:-$(git rev-parse HEAD)}}"
RELEASE="releases/$COMMIT"
[ "$LINK" = "current" ] || RELEASE="$RELEASE-$LINK"

if [ "$PUBLISH_HOST" = "local" ]; then
  mkdir -p "$PUBLISH_ROOT/releases"
  rsync -a --delete --checksum "${SRC%/}/" "$PUBLISH_ROOT/$RELEASE/"
  (cd "$PUBLISH_ROOT" && ln -sfn "$RELEASE" ".$LINK.new" && mv -Tf ".$LINK.new" "$LINK")
  [ -z "${PUBLISH_RELOAD:-}" ] || sh -c "$PUBLISH_RELOAD"
  echo "已发布 $SRC -> $PUBLISH_ROOT/$LINK ($RELEASE)"
  exit 0
fi

: "${PUBLISH_SSH_KEY:?未设置 PUBLISH_SSH_KEY}" "${PUBLISH_KNOWN_HOSTS:?未设置 PUBLISH_KNOWN_HOSTS}"
umask 077
KEYDIR="$(mktemp -d)"
trap 'rm -rf "$KEYDIR"' EXIT
printf '%s\n' "$PUBLISH_SSH_KEY" > "$KEYDIR/id"
printf '%s\n' "$PUBLISH_KNOWN_HOSTS" > "$KEYDIR/known_hosts"
SSH="ssh -i $KEYDIR/id -o UserKnownHostsFile=$KEYDIR/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes"

$SSH "$PUBLISH_HOST" "mkdir -p '$PUBLISH_ROOT/releases'"
rsync -a --delete --checksum -e "$SSH" "${SRC%/}/" "$PUBLISH_HOST:$PUBLISH_ROOT/$RELEASE/"
$SSH "$PUBLISH_HOST" "cd '$PUBLISH_ROOT' && ln -sfn '$RELEASE' '.$LINK.new' && mv -Tf '.$LINK.new' '$LINK'"
[ -z "${PUBLISH_RELOAD:-}" ] || $SSH "$PUBLISH_HOST" "$PUBLISH_RELOAD"
echo "已发布 $SRC -> $PUBLISH_HOST:$PUBLISH_ROOT/$LINK ($RELEASE)"
