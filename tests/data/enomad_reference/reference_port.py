# Python re-implementation of the ENOMAD reference worm model + foraging env (greenfire0/CElegan_Connectome_Training, 2025 code).
# Verified to give identical fitness to a verbatim copy of the reference dense connectome.py + c_worm.py + env (see enomad_reference.md).
# Needs tables.xlsx = CElegansNeuronTables.xlsx (blob 18478cfd473e3c0c00c0276649183a756dfdcbe9 in greenfire0/worm_mem CEL/ or the repo root).
# run(genome, pattern, mode='noleak'|'lif', reward='count'|'shaped', leak=...) -> (fitness, trace)
import pandas as pd, numpy as np, sys
def process_sheet(df, nm):
    d={}
    a=['Neuron','Muscle'] if nm else ['Origin','Target']
    for _,r in df.iterrows():
        f,t,w,nt=r[a[0]],r[a[1]],r['Number of Connections'],r['Neurotransmitter']
        if nt=='GABA': w=-w
        d.setdefault(f,{})
        d[f][t]=d[f].get(t,0)+w
    return d
c = pd.read_excel('tables.xlsx', sheet_name='Connectome')
m = pd.read_excel('tables.xlsx', sheet_name='NeuronsToMuscle')
comb=process_sheet(c,0); md=process_sheet(m,1)
for n,cs in md.items():
    if n in comb:
        for t,w in cs.items(): comb[n][t]=comb[n].get(t,0)+w
    else: comb[n]=cs
names=set()
for f,cs in comb.items(): names.add(f); names.update(cs.keys())
names=sorted(names); n2i={n:i for i,n in enumerate(names)}; N=len(names)
src=[];dst=[];genome=[]
for pre,cs in comb.items():
    for post,w in cs.items(): src.append(n2i[pre]); dst.append(n2i[post]); genome.append(float(w))
src=np.array(src);dst=np.array(dst);genome=np.array(genome)
muscleList = ['MDL%02d'%i for i in range(7,24)]+['MVL%02d'%i for i in range(7,24)]+['MDR%02d'%i for i in range(7,24)]+['MVR%02d'%i for i in range(7,21)]+['MVL21','MVR22','MVR23']
mLeft = ['MDL%02d'%i for i in range(7,24)]+['MVL%02d'%i for i in range(7,24)]
mRight = ['MDR%02d'%i for i in range(7,21)]+['MDL21','MDR22','MDR23']+['MVR%02d'%i for i in range(7,21)]+['MVL21','MVR22','MVR23']
left_idx=[n2i[x] for x in mLeft]; right_idx=[n2i[x] for x in mRight]
pref={x[:3] for x in muscleList}; mmask=np.array([n[:3] in pref for n in names])
touch=[n2i[x] for x in ("FLPR","FLPL","ASHL","ASHR","IL1VL","IL1VR","OLQDL","OLQDR","OLQVR","OLQVL")]
food=[n2i[x] for x in ("ADFL","ADFR","ASGR","ASGL","ASIL","ASIR","ASJR","ASJL")]

def food_pattern(pt, num=36, dimx=1600., dimy=1200.):
    cx,cy=dimx/2,dimy/2; F=[]
    if pt==0:
        r=min(dimx,dimy)/4
        for i in range(num):
            a=2*np.pi*i/num; F.append([cx+r*np.cos(a),cy+r*np.sin(a)])
    elif pt==3:
        t=(dimx/2,dimy*3/4); l=(dimx/4,dimy/4); rr=(dimx*3/4,dimy/4)
        for i in range(num):
            p=i/(num-1)
            if p<=1/3: q=p/(1/3); x=t[0]+q*(l[0]-t[0]); y=t[1]+q*(l[1]-t[1])
            elif p<=2/3: q=(p-1/3)/(1/3); x=l[0]+q*(rr[0]-l[0]); y=l[1]+q*(rr[1]-l[1])
            else: q=(p-2/3)/(1/3); x=rr[0]+q*(t[0]-rr[0]); y=rr[1]+q*(t[1]-rr[1])
            F.append([x,y])
    if pt==4:
        s=min(dimx,dimy)/2
        for i in range(num):
            side=i//(num//4); pos=(i%(num//4))/(num//4-1)
            if side==0: F.append([cx-s/2+pos*s, cy-s/2])
            elif side==1: F.append([cx+s/2, cy-s/2+pos*s])
            elif side==2: F.append([cx+s/2-pos*s, cy+s/2])
            else: F.append([cx-s/2, cy+s/2-pos*s])
    elif pt in (5,6,7,8,9):
        ns=pt; r=min(dimx,dimy)/4
        for i in range(num):
            a=2*np.pi*(i%ns)/ns; interp=(i//ns)/(num//ns)
            vx=cx+r*np.cos(a); vy=cy+r*np.sin(a)
            na=2*np.pi*((i%ns)+1)/ns; nx=cx+r*np.cos(na); ny=cy+r*np.sin(na)
            F.append([vx+interp*(nx-vx), vy+interp*(ny-vy)])
    return np.array(F)

def run(gen, pt, mode='noleak', reward='count', steps=250, leak=None, trace=False):
    W=np.zeros((N,N)); W[src,dst]=gen
    V=np.zeros(N); spk=np.zeros(N,bool)
    pos=np.array([800.,600.]); hd=0.0
    F=food_pattern(pt); sees=False
    dist=min(pos[0],1600-pos[0],pos[1],1200-pos[1]); total=0.0; tr=[]
    for s in range(steps):
        sens = touch if 0<dist<100 else (food if sees else [])
        if mode=='noleak':
            cur=V.copy(); nxt=V.copy()
            for i in sens: nxt+=W[i]
            for i in range(N):
                if mmask[i]: continue
                if abs(cur[i])>30: nxt+=W[i]; nxt[i]=0.0
            L=0.0;R=0.0
            for i in left_idx: L+=nxt[i]; nxt[i]=0.0
            for i in right_idx: R+=nxt[i]; nxt[i]=0.0
            V=nxt
        else: # LIF
            V*=leak
            for i in sens: V+=W[i]
            for i in np.nonzero(spk)[0]: V+=W[i]
            spk=np.zeros(N,bool)
            for i in range(N):
                if mmask[i]: continue
                if abs(V[i])>30: spk[i]=True; V[i]=0.0
            L=0.0;R=0.0
            for i in left_idx: L+=V[i]; V[i]=0.0
            for i in right_idx: R+=V[i]; V[i]=0.0
        # move
        v=min(max(abs(L)+abs(R),75),150)/7.0
        hd=(hd+(R-L)/10.0+np.pi)%(2*np.pi)-np.pi
        pos=pos+v*np.array([np.cos(hd),np.sin(hd)])
        pos=np.clip(pos,[0,0],[1600,1200])
        sees = bool(len(F)) and bool((np.linalg.norm(F-pos,axis=1)<=150).any())
        d=np.linalg.norm(F-pos,axis=1) if len(F) else np.array([])
        if reward=='count': r=float((d<20).sum())
        else: r=30*float((d<20).sum()) + float(np.sum(np.maximum(0,(150-d[d<150])/150)))/30.0
        total+=r
        if len(F): F=F[d>=20]
        dist=min(pos[0],1600-pos[0],pos[1],1200-pos[1])
        if trace: tr.append((s,L,R,pos[0],pos[1],hd,sees,dist,r))
    return total, tr
if __name__=='__main__':
    print('N',N,'edges',len(genome),'muscle-masked',mmask.sum())
    for pt in [0,3,4,5,6,7,8,9]:
        F=food_pattern(pt); u=len(np.unique(np.round(F,6),axis=0))
        a,_=run(genome,pt); b,_=run(genome,pt,reward='shaped'); c,_=run(genome,pt,mode='lif',leak=np.exp(-1/20)); d,_=run(genome,pt,mode='lif',leak=0.98)
        print(pt,'nfood',len(F),'unique',u,'noleak count',a,'noleak shaped',round(b,3),'lif(e^-1/20)',c,'lif0.98',d)
