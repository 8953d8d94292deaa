#!/usr/bin/env bash
# Copies the console's drawing libraries, pinned in package-lock.json, into the jar's static resources.
# Run after changing a version here (then commit the copies): npm ci && ./refresh.sh
set -euo pipefail
cd "$(dirname "$0")"
out=../resources/META-INF/resources/vendor
rm -rf "$out" && mkdir -p "$out/bpmn-js/assets" "$out/echarts"
cp node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js "$out/bpmn-js/"
cp node_modules/bpmn-js/dist/assets/diagram-js.css node_modules/bpmn-js/dist/assets/bpmn-js.css "$out/bpmn-js/assets/"
cp node_modules/bpmn-js/LICENSE "$out/bpmn-js/LICENSE"
cp node_modules/echarts/dist/echarts.min.js "$out/echarts/"
cp node_modules/echarts/LICENSE "$out/echarts/LICENSE"
