from .models import *
from .views import *
from .forms import *
from .admin import *
from .urls import *
from .signals import *
