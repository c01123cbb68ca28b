import json


async def test_dbg(client):
    r = await client.get("/schema/openapi.json")
    s = r.json()
    api = {p: v for p, v in s["paths"].items() if p.startswith("/api/")}
    print(json.dumps(api, indent=1)[:6000])
    print(json.dumps(s.get("components", {}).get("securitySchemes"), indent=1))
    print(sorted(s["components"]["schemas"])[:80])
    print(json.dumps(s["components"]["schemas"].get("Categories"), indent=1)[:1500])
