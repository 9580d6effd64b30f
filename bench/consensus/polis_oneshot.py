#!/usr/bin/python3
"""An independent, dense numpy re-implementation of one Polis update from scratch (pca.clj,
clusters.clj, conversation.clj: column-mean imputation, power iteration with deflation, the
sparsity-aware projection, in-conv, base k-means k=100 from the first distinct points, group
k-means over base centres weighted by size from the first k distinct centres, silhouette).
Prints, per conversation, the k chosen and the adjusted Rand index against Polis's exported
group-id, to compare with GSI's tests/unit/consensus/test_polis.c table.

    bench/consensus/polis_oneshot.py [tests/data/deliberation]
"""
import pandas as pd, numpy as np, sys
from sklearn.metrics import adjusted_rand_score as ari
def run(d, seed=0, iters=100):
    pv=pd.read_csv(f'{d}/participants-votes.csv')
    cm=pd.read_csv(f'{d}/comments.csv')
    modout=set(cm['comment-id'][cm.moderated==-1])
    vc=[c for c in pv.columns if c.isdigit()]
    X=pv[vc].to_numpy(dtype=float)
    nall=np.sum(~np.isnan(X),axis=1)
    act=np.array([int(c) not in modout for c in vc])
    R=X.copy(); R[:,~act]=0
    mu=np.nanmean(R,axis=0); mu=np.nan_to_num(mu)
    M=np.where(np.isnan(R), mu, R); C=M-mu
    rng=np.random.default_rng(seed)
    pcs=[]
    D=C.copy()
    for k in range(2):
        v=rng.random(C.shape[1]); last=0
        for it in range(iters):
            p=D.T@(D@v); ev=np.linalg.norm(p); v=p/ev
            if ev==last: break
            last=ev
        pcs.append(v)
        D=D-np.outer(D@v,v)
    P=np.stack(pcs,1)
    voted=~np.isnan(R)
    Cs=np.where(voted, R-mu, 0)
    nv=voted.sum(1)
    proj=(Cs@P)*np.sqrt(R.shape[1]/np.maximum(nv,1))[:,None]
    need=min(7,R.shape[1])
    inconv=nall>=need
    if inconv.sum()<15:
        order=np.argsort(-nall,kind='stable'); 
        for i in order:
            if inconv.sum()>=15: break
            if nall[i]>0: inconv[i]=True
    idx=np.where(inconv)[0]; pts=proj[idx]
    def kmeans(pts,k,w=None,maxit=20):
        # init first k distinct
        cs=[]
        for p in pts:
            if not any(np.array_equal(p,c) for c in cs): cs.append(p.copy())
            if len(cs)==k: break
        cs=np.array(cs)
        if w is None: w=np.ones(len(pts))
        for it in range(maxit+1):
            dd=((pts[:,None,:]-cs[None])**2).sum(2); a=dd.argmin(1)
            new=[];keep=[]
            for c in range(len(cs)):
                s=a==c
                if s.sum()==0: continue
                new.append((pts[s]*w[s,None]).sum(0)/w[s].sum()); keep.append(c)
            remap={c:i for i,c in enumerate(keep)}; a=np.array([remap[x] for x in a]); new=np.array(new)
            same = len(new)==len(cs) and np.all(np.linalg.norm(new-cs,axis=1)<0.01)
            cs=new
            if same: break
        return cs,a
    bc,ba=kmeans(pts,100,maxit=100)
    w=np.bincount(ba,minlength=len(bc)).astype(float)
    maxk=min(5,2+len(bc)//12)
    Dm=np.linalg.norm(bc[:,None]-bc[None],axis=2)
    best=None
    for k in range(2,maxk+1):
        gc,ga=kmeans(bc,k,w=w,maxit=20)
        s=0
        for i in range(len(bc)):
            own=ga[i]; mem=(ga==own); mem[i]=False
            if mem.sum()==0: continue
            a=Dm[i,mem].mean(); b=min(Dm[i,ga==o].mean() for o in set(ga) if o!=own)
            s+=(b-a)/max(a,b)
        s/=len(bc)
        if best is None or s>best[0]: best=(s,k,ga)
    grp=np.full(len(R),-1); grp[idx]=best[2][ba]
    ref=pv['group-id'].fillna(-1).to_numpy().astype(int)
    both=(grp>=0)&(ref>=0)
    return best[1], ari(grp[both],ref[both]), len(set(ref[ref>=0]))
import os
os.chdir(sys.argv[1] if len(sys.argv) > 1 else "tests/data/deliberation")
tot=0
for d in sorted(os.listdir('.')):
    k,a,pk=run(d)
    tot+=a
    print(f'{d:46s} polis {pk} k {k} ari {a:.3f}')
print('mean',tot/12)
