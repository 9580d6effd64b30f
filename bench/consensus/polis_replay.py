#!/usr/bin/python3
"""An independent, dense numpy re-implementation of Polis's live update loop (conversation.clj,
clusters.clj, pca.clj, conv_man.clj), to cross-check GSI's replay in
tests/unit/consensus/test_polis.c: votes.csv is applied in timestamp order, one Polis update
per window of WINDOW seconds that holds votes (sticky in-conv, power iteration warm-started
from the previous components with new statements' entries 1, sparsity-aware projection, base
k-means k=100 carried over by clean-start-clusters, each k's groups carried over by
clean-start-clusters over the base centres weighted by size, silhouette, k smoother), then one
more update after a reload (group-clusterings and the k smoother forgotten, as Polis persists
neither). Prints the adjusted Rand index against Polis's exported group-id after the last
live update ("ari") and after the reload ("reload").

    bench/consensus/polis_replay.py WINDOW CONVERSATION... (run from the repository root;
    conversations under tests/data/deliberation; ALLIN=1 clusters every voter; POLIS_ERA=2016
    runs the older rules described below)
"""
import pandas as pd, numpy as np, sys, os
from sklearn.metrics import adjusted_rand_score as ari
D='tests/data/deliberation'
rng=np.random.default_rng(0)
# POLIS_ERA=2016 runs the rules of Polis's math before its monorepo (pol-is/polisMath:
# conversation.clj, pca.clj): a missing vote is 0 and each column is centred on its mean over
# every participant, moderated-out statements stay in the PCA, at most 10 power-iteration
# steps, 50 base clusters, base k-means capped at kmeans's default of 20 steps.
OLD=os.environ.get('POLIS_ERA')=='2016'
PCAIT=10 if OLD else 100
BASEK=50 if OLD else 100
BASEIT=20 if OLD else 100
def mean_w(P,w=None):
    if w is None: return P.mean(0)
    return (P*w[:,None]).sum(0)/w.sum()
def clean_start(names,X,clusters,k,w=None):
    # names: list of ids (row order), X positions; clusters: list of dict id,members,center
    pos={n:i for i,n in enumerate(names)}
    cl=[]
    for c in clusters:
        idx=[pos[m] for m in c['members'] if m in pos]
        if not idx: continue
        cl.append(dict(id=c['id'],members=list(c['members']),center=mean_w(X[idx],None if w is None else w[idx])))
    if not cl:
        return [dict(id=max([c['id'] for c in clusters],default=-1)+1,members=list(names),center=mean_w(X,w))]
    # uniqify
    u=[]
    for c in cl:
        hit=None
        for j,d in enumerate(u):
            if np.array_equal(d['center'],c['center']): hit=j;break
        if hit is None: u.append(c)
        else:
            d=u[hit]; nd,nc=len(d['members']),len(c['members'])
            nid=d['id'] if nd>=nc else c['id']  # max-key returns last on ties -> c? (max-key f a b): (if (> (f a) (f b)) a b) -> ties b=c
            nid=d['id'] if nd>nc else c['id']
            u[hit]=dict(id=nid,members=d['members']+c['members'],center=(d['center']*nd+c['center']*nc)/(nd+nc) if nd+nc>0 else d['center'])
    cl=u
    possible=min(k,len(np.unique(X,axis=0)))
    while True:
        for c in cl:
            idx=[pos[m] for m in c['members'] if m in pos]
            if idx: c['center']=mean_w(X[idx],None if w is None else w[idx])
        if possible>len(cl):
            C=np.array([c['center'] for c in cl])
            dd=np.sqrt(((X[:,None]-C[None])**2).sum(2))
            mind=dd.min(1)
            i=len(mind)-1-np.argmax(mind[::-1])  # max-key: last max
            if mind[i]>0:
                pid=names[i]
                for c in cl: c['members']=[m for m in c['members'] if m!=pid]
                cl.append(dict(id=max(c['id'] for c in cl)+1,members=[pid],center=X[i].copy()))
                continue
        return cl
def init_clusters(X,k):
    _,first=np.unique(X,axis=0,return_index=True)
    first=np.sort(first)[:k]
    return [dict(id=i,members=[],center=X[j].copy()) for i,j in enumerate(first)]
def kmeans(names,X,k,last=None,max_iters=20,w=None):
    cl=clean_start(names,X,last,k,w) if last else init_clusters(X,k)
    it=max_iters
    while True:
        C=np.array([c['center'] for c in cl])
        dd=((X[:,None]-C[None])**2).sum(2)
        a=dd.argmin(1)
        new=[]
        for j,c in enumerate(cl):
            s=np.where(a==j)[0]
            if len(s)==0: continue
            new.append(dict(id=c['id'],members=[names[i] for i in s],center=mean_w(X[s],None if w is None else w[s])))
        def same(c1,c2):
            A=sorted(map(tuple,(c['center'] for c in c1))); B=sorted(map(tuple,(c['center'] for c in c2)))
            return all(np.linalg.norm(np.array(x)-np.array(y))<0.01 for x,y in zip(A,B))
        if it==0 or same(cl,new): return sorted(new,key=lambda c:c['id'])
        cl=new; it-=1
def silhouette(C,assign):
    Dm=np.sqrt(((C[:,None]-C[None])**2).sum(2)); s=0
    for i in range(len(C)):
        own=assign[i]; mem=(assign==own); mem[i]=False
        if mem.sum()==0: continue
        a=Dm[i,mem].mean(); b=min(Dm[i,assign==o].mean() for o in set(assign) if o!=own)
        s+=(b-a)/max(a,b)
    return s/len(C)
class Conv:
    def __init__(s,modout):
        s.pids=[];s.pidx={};s.tids=[];s.tidx={};s.rows=[];s.modout=modout
        s.inconv=set();s.comps=None;s.base=None;s.groups={};s.smoother={}
        s.M=np.zeros((0,0))
    def update(s,votes):
        for pid,tid,v in votes:
            if pid not in s.pidx: s.pidx[pid]=len(s.pids); s.pids.append(pid)
            if tid not in s.tidx: s.tidx[tid]=len(s.tids); s.tids.append(tid)
        n,m=len(s.pids),len(s.tids)
        if s.M.shape!=(n,m):
            M2=np.full((n,m),np.nan); M2[:s.M.shape[0],:s.M.shape[1]]=s.M; s.M=M2
        for pid,tid,v in votes: s.M[s.pidx[pid],s.tidx[tid]]=v
        R=s.M.copy()
        mo=np.array([t in s.modout for t in s.tids])
        if not OLD: R[:,mo]=0
        cnt=(~np.isnan(s.M)).sum(1)
        for i in np.where(cnt>=(1 if os.environ.get('ALLIN') else min(7,m)))[0]: s.inconv.add(s.pids[i])
        if len(s.inconv)<15:
            order=sorted([i for i in range(n) if s.pids[i] not in s.inconv],key=lambda i:-cnt[i])
            for i in order[:15-len(s.inconv)]: s.inconv.add(s.pids[i])
        voted=~np.isnan(R)
        if OLD:
            Z=np.where(voted,R,0.0); mu=Z.mean(0); Dfull=Z-mu; C=np.where(voted,R-mu,0.0)
        else:
            mu=np.where(voted.sum(0)>0,np.nansum(R,0)/np.maximum(voted.sum(0),1),0)
            C=np.where(voted,R-mu,0.0); Dfull=C
        comps=[]; Dd=Dfull
        for k in range(2):
            if s.comps is not None and not np.all(s.comps[k]==0):
                v=np.concatenate([s.comps[k],np.ones(m-len(s.comps[k]))])
            else: v=rng.random(m)
            last=0
            for it in range(PCAIT+1):
                p=Dd.T@(Dd@v); ev=np.linalg.norm(p); 
                if ev==0: v=p;break
                v=p/ev
                if it==PCAIT or ev==last: break
                last=ev
            comps.append(v)
            if np.dot(v,v)!=0: Dd=Dd-np.outer(Dd@v,v)/np.dot(v,v)
        s.comps=comps
        P=np.stack(comps,1)
        proj=(C@P)*np.sqrt(m/np.maximum(voted.sum(1),1))[:,None]
        idx=[i for i in range(n) if s.pids[i] in s.inconv]
        names=[s.pids[i] for i in idx]; X=proj[idx]
        s.base=kmeans(names,X,BASEK,last=s.base,max_iters=BASEIT)
        bn=[c['id'] for c in s.base]; BX=np.array([c['center'] for c in s.base]); bw=np.array([len(c['members']) for c in s.base],float)
        maxk=min(5,2+len(bn)//12)
        sils={}
        for k in range(2,maxk+1):
            s.groups[k]=kmeans(bn,BX,k,last=s.groups.get(k),max_iters=20,w=bw)
            gid={b:j for j,g in enumerate(s.groups[k]) for b in g['members']}
            sils[k]=silhouette(BX,np.array([gid[b] for b in bn]))
        this=max(sils,key=lambda k:(sils[k],-k)) if sils else None  # max-key: last max among keys order... approx
        sm=s.smoother
        same= sm.get('last')==this if sm.get('last') else False
        c= sm.get('count',0)+1 if same else 1
        smk= this if c>=4 else (sm.get('smk') or this)
        s.smoother=dict(last=this,count=c,smk=smk)
        s.gc=s.groups.get(smk)
    def assignment(s):
        b2g={}
        for g in s.gc:
            for b in g['members']: b2g[b]=g['id']
        out={}
        for c in s.base:
            for p in c['members']: out[p]=b2g[c['id']]
        return out
def run(d,window):
    cm=pd.read_csv(f'{D}/{d}/comments.csv'); pv=pd.read_csv(f'{D}/{d}/participants-votes.csv')
    modout=set(cm['comment-id'][cm.moderated==-1])
    v=pd.read_csv(f'{D}/{d}/votes.csv').sort_values('timestamp',kind='stable')
    t=v.timestamp.to_numpy(); b=(t-t[0])//(window*1000)
    conv=Conv(modout); nup=0
    rows=list(zip(v['voter-id'],v['comment-id'],v['vote']))
    starts=np.r_[0,np.where(np.diff(b)!=0)[0]+1,len(rows)]
    for a,e in zip(starts[:-1],starts[1:]):
        conv.update(rows[a:e]); nup+=1
    ref=pv['group-id'].fillna(-1).to_numpy().astype(int)
    asg=conv.assignment()
    g=np.array([asg.get(p,-1) for p in pv.participant])
    both=(g>=0)&(ref>=0)
    a1=ari(g[both],ref[both]); k1=len(set(asg.values()))
    # reload: group clusterings and smoother not persisted by Polis
    conv.groups={}; conv.smoother={}
    conv.update([])
    asg=conv.assignment()
    g=np.array([asg.get(p,-1) for p in pv.participant])
    both=(g>=0)&(ref>=0)
    return (a1, ari(g[both],ref[both])), (k1,len(set(asg.values()))), len(set(ref[ref>=0])), nup
if __name__=='__main__':
    w=float(sys.argv[1])
    for d in sys.argv[2:]:
        a,k,pk,nup=run(d,w)
        print(f'{d[:40]:40s} win={w} updates={nup} ari={a[0]:.3f} reload={a[1]:.3f} k={k} polisk={pk}',flush=True)
