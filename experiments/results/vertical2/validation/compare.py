import sys, pandas as pd
case=sys.argv[1]
a=pd.read_csv(f"docs/validation/{case}/validation.csv").set_index("pattern")
b=pd.read_csv(f"/tmp/v2val/{case}/validation.csv").set_index("pattern")
print(f"### {case}: pass {int(a['pass'].sum())}/{len(a)} -> {int(b['pass'].sum())}/{len(b)}; discriminating evidence {int((a[a.role=='evidence'].discriminates==True).sum())}/{(a.role=='evidence').sum()} -> {int((b[b.role=='evidence'].discriminates==True).sum())}/{(b.role=='evidence').sum()}")
same=lambda x,y: (pd.isna(x) and pd.isna(y)) or x==y
for p in b.index:
    if p not in a.index: print("  new", p); continue
    if abs(a.loc[p,"held_full"]-b.loc[p,"held_full"])>=0.03 or not same(a.loc[p,"discriminates"],b.loc[p,"discriminates"]) or not same(a.loc[p,"pass"],b.loc[p,"pass"]):
        print(f"  {p}: held {a.loc[p,'held_full']:.2f} -> {b.loc[p,'held_full']:.2f}; {a.loc[p,'value']} -> {b.loc[p,'value']}; disc {a.loc[p,'discriminates']} -> {b.loc[p,'discriminates']}")
ma=pd.read_csv(f"docs/validation/{case}/matrix.csv").set_index("pattern"); mb=pd.read_csv(f"/tmp/v2val/{case}/matrix.csv").set_index("pattern")
print("  no_vertical_integration moves (|full - null| >= 0.03):")
for p in mb.index:
    d=mb.loc[p,"full"]-mb.loc[p,"no_vertical_integration"]
    d0=ma.loc[p,"full"]-ma.loc[p,"no_vertical_integration"] if p in ma.index else float('nan')
    if abs(d)>=0.03 or abs(d0)>=0.03:
        print(f"    {p} ({mb.loc[p,'role']}): main full {ma.loc[p,'full']:.2f} null {ma.loc[p,'no_vertical_integration']:.2f}; vertical2 full {mb.loc[p,'full']:.2f} null {mb.loc[p,'no_vertical_integration']:.2f}")
