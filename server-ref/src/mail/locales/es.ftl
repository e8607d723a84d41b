# Correo transaccional, español.
footer = Recibes este mensaje por tu actividad en { $store }.
link-fallback = Si el botón no funciona, copia esta dirección en tu navegador:
order-heading = Pedido { $order }
order-quantity = Cantidad
order-subtotal = Subtotal
order-shipping = Envío
order-tax = Impuestos
order-tax-included = Impuestos incluidos
order-total = Total
downloads-heading = Tus descargas
downloads-note = Cada enlace funciona un número limitado de veces y caduca.

order-confirmation-subject = { $store }: tu pedido está confirmado
order-confirmation-heading = Gracias por tu pedido
order-confirmation-intro = Hemos recibido tu pago del pedido { $order }.

payment-failed-subject = { $store }: tu pago no se ha completado
payment-failed-heading = Tu pago no se ha completado
payment-failed-intro = El pago del pedido { $order } fue rechazado y el pedido se ha cancelado. No se ha cobrado nada; puedes volver a pedir cuando quieras.

refunded-subject = { $store }: tu pedido ha sido reembolsado
refunded-heading = Tu pedido ha sido reembolsado
refunded-intro = El pedido { $order } ha sido reembolsado: { $amount } vuelve a tu medio de pago. Sus enlaces de descarga ya no funcionan.

password-reset-subject = { $store }: elige una contraseña nueva
password-reset-heading = Elige una contraseña nueva
password-reset-intro = Alguien ha pedido restablecer la contraseña de tu cuenta en { $store }. Si has sido tú, elige una contraseña nueva con este enlace antes de una hora.
password-reset-action = Elegir una contraseña nueva
password-reset-ignore = Si no lo has pedido, ignora este mensaje: tu contraseña no cambia.

invitation-subject = { $store }: te invitan a la consola
invitation-heading = Te han invitado
invitation-intro = Te invitan a gestionar { $store } como { $role }. Elige tu contraseña con este enlace antes del { $expires }.
invitation-action = Aceptar la invitación

access-link-subject = { $store }: tus pedidos
access-link-heading = Tus pedidos
access-link-intro = Abre este enlace para ver tus pedidos y descargas en { $store }. Funciona una vez, durante { $minutes } minutos.
access-link-action = Ver mis pedidos
access-link-ignore = Si no lo has pedido, ignora este mensaje.

partly-refunded-subject = { $store }: parte de tu pedido ha sido reembolsada
partly-refunded-heading = Parte de tu pedido ha sido reembolsada
partly-refunded-intro = { $amount } del pedido { $order } vuelve a tu medio de pago.
shipped-subject = { $store }: tu pedido está en camino
shipped-heading = Tu pedido está en camino
shipped-intro = Un paquete del pedido { $order } ha salido con { $carrier }. Número de seguimiento: { $tracking }.
