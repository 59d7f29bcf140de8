{
  "targets": [
    {
      "target_name": "edgetensor_avx2",
      "type": "static_library",
      "sources": ["<!@(node native/sources.cjs avx2)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native/src"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags": ["-fPIC", "-O3"],
      "cflags_cc": ["-std=c++17", "<!@(node native/sources.cjs flags avx2)"]
    },
    {
      "target_name": "edgetensor_avx512",
      "type": "static_library",
      "sources": ["<!@(node native/sources.cjs avx512)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native/src"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags": ["-fPIC", "-O3"],
      "cflags_cc": ["-std=c++17", "<!@(node native/sources.cjs flags avx512)"]
    },
    {
      "target_name": "edgetensor",
      "sources": ["<!@(node native/sources.cjs baseline)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native/src"],
      "dependencies": [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except",
        "edgetensor_avx2",
        "edgetensor_avx512"
      ],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags": ["-O3", "-fvisibility=hidden"],
      "cflags_cc": ["-std=c++17", "-fvisibility-inlines-hidden"],
      "libraries": ["-lpthread"]
    }
  ]
}
