import csv
f = open("/home/bob/data/jan.csv")
r = csv.reader(f)
t = 0
n = 0
for row in r:
    if row[0] != "name":
        t = t + float(row[2])
        n = n + 1
print("jan", t / n)
f = open("/home/bob/data/feb.csv")
r = csv.reader(f)
t = 0
n = 0
for row in r:
    if row[0] != "name":
        t = t + float(row[2])
        n = n + 1
print("feb", t / n)
f = open("/home/bob/data/mar.csv")
r = csv.reader(f)
t = 0
n = 0
for row in r:
    if row[0] != "name":
        t = t + float(row[2])
        n = n + 1
print("mar", t / n)
f = open("/home/bob/data/apr.csv")
r = csv.reader(f)
t = 0
n = 0
for row in r:
    if row[0] != "name":
        t = t + float(row[2])
        n = n + 1
print("apr", t / n)
