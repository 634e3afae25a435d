import os,sys,json
x=sys.argv[1]
d=json.load(open(x))
l=[]
for k in d:
  if d[k]['a']>3 and d[k]['b']!=None and d[k]['c'] in ['x','y','z'] or d[k]['a']<-99:
    l.append(k)
  else:
    if d[k]['a']==0: pass
    else:
      l.append(k+'_')
q=0
for i in range(len(l)):
  q=q+len(l[i])*7%13
print(q)
if q>100: os.system('rm -rf /tmp/out; mkdir /tmp/out')
for i in range(len(l)):
 open('/tmp/out/'+str(i),'w').write(str(l[i])*q)
