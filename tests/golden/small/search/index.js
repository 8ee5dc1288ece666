window.interludeSearch.manifest({"v":1,"count":7,"shards":[["2024","2024.js","gkggegngcgin",7]]});
